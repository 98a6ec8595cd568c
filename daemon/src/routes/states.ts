// The branching endpoints: keep the state a call leaves, eval on fresh copies of it, fork K
// branches from it spread over every executor, inspect and delete it. States belong to the
// tenant that made them; another tenant's state is as unknown as a missing one (404).
import { setMaxListeners } from "node:events";
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { Tenant } from "../auth.ts";
import type { CallTarget } from "../calls.ts";
import { errors } from "../errors.ts";
import { tenantOf } from "../http/admission.ts";
import { BEARER_SECURITY } from "../http/openapi.ts";
import type { Services } from "../services.ts";
import type { StoredState } from "../states/store.ts";
import { errorEnvelope, evalRequest, evalResponse } from "../wire/eval.ts";
import { forkRequest, forkResponse, stateEvalRequest, stateIdParams, stateInfo, type StateEvalRequest } from "../wire/states.ts";

const errorReplies = { "4xx": errorEnvelope, "5xx": errorEnvelope };

export function statesRoutes(services: Services): FastifyPluginAsync {
  /** Cancels the call(s) when the client goes away. */
  const abortOnClose = (reply: FastifyReply): AbortSignal => {
    const aborted = new AbortController();
    // Every branch of a fork (up to 1024) listens on this one signal while it is queued or running.
    setMaxListeners(0, aborted.signal);
    reply.raw.on("close", () => {
      if (!reply.raw.writableFinished) aborted.abort();
    });
    return aborted.signal;
  };

  const stateOf = (tenant: Tenant, id: string): StoredState => {
    const state = services.states.get(tenant.name, id);
    if (!state) throw errors.stateNotFound(id);
    return state;
  };

  const run = async (request: FastifyRequest, tenant: Tenant, body: StateEvalRequest, target: CallTarget, signal: AbortSignal) => {
    const { checkpoint: _checkpoint, ...req } = body;
    const { response } = await services.calls.eval(req, { requestId: String(request.id), tenant, signal }, target);
    services.callFinished(request.log, tenant, response, req.code);
    return response;
  };

  const info = (state: StoredState) => ({
    state_id: state.id,
    parent_id: state.parentId,
    depth: state.depth,
    bytes: state.bytes,
    created_at: state.createdAt.toISOString(),
    children: state.children.size,
  });

  return async (app) => {
    const r = app.withTypeProvider<ZodTypeProvider>();

    r.post(
      "/v1/states",
      {
        schema: {
          summary: "Run code in a fresh interpreter and keep the resulting state",
          security: BEARER_SECURITY,
          body: evalRequest,
          response: { 201: evalResponse, 200: evalResponse, ...errorReplies },
        },
      },
      async (request, reply) => {
        const tenant = tenantOf(request);
        services.rateLimiter.enforce(tenant);
        const response = await run(request, tenant, request.body, { checkpoint: true }, abortOnClose(reply));
        // No usable state after a timeout, a limit or a crash: 200 with state_id null.
        reply.code(response.state_id ? 201 : 200);
        return response;
      },
    );

    r.post(
      "/v1/states/:state_id/eval",
      {
        schema: {
          summary: "Run code in a fresh copy of a state (the state is unchanged)",
          security: BEARER_SECURITY,
          params: stateIdParams,
          body: stateEvalRequest,
          response: { 200: evalResponse, ...errorReplies },
        },
      },
      async (request, reply) => {
        const tenant = tenantOf(request);
        services.rateLimiter.enforce(tenant);
        const base = stateOf(tenant, request.params.state_id);
        return run(request, tenant, request.body, { base, checkpoint: request.body.checkpoint === true }, abortOnClose(reply));
      },
    );

    r.post(
      "/v1/states/:state_id/fork",
      {
        schema: {
          summary: "Run K branches, each on its own fresh copy of a state",
          security: BEARER_SECURITY,
          params: stateIdParams,
          body: forkRequest,
          response: { 200: forkResponse, ...errorReplies },
        },
      },
      async (request, reply) => {
        const tenant = tenantOf(request);
        services.rateLimiter.enforce(tenant);
        const base = stateOf(tenant, request.params.state_id);
        const signal = abortOnClose(reply);
        const results = await Promise.all(
          request.body.branches.map((branch) =>
            run(request, tenant, branch, { base, checkpoint: branch.checkpoint === true, branch: true }, signal),
          ),
        );
        return { results };
      },
    );

    r.get(
      "/v1/states/:state_id",
      {
        schema: {
          summary: "A state's metadata",
          security: BEARER_SECURITY,
          params: stateIdParams,
          response: { 200: stateInfo, ...errorReplies },
        },
      },
      async (request) => info(stateOf(tenantOf(request), request.params.state_id)),
    );

    r.delete(
      "/v1/states/:state_id",
      {
        schema: {
          summary: "Delete a state (its children stay usable)",
          security: BEARER_SECURITY,
          params: stateIdParams,
          response: { 204: z.null().describe("Deleted."), ...errorReplies },
        },
      },
      async (request, reply) => {
        const tenant = tenantOf(request);
        if (!services.states.delete(tenant.name, request.params.state_id)) throw errors.stateNotFound(request.params.state_id);
        return reply.code(204).send(null);
      },
    );
  };
}
