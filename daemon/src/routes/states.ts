// The branching endpoints: keep the state a call leaves, eval on fresh copies of it, fork K
// branches from it spread over every executor, inspect and delete it. States belong to the
// tenant that made them; another tenant's state is as unknown as a missing one (404). The same
// code in both modes: where states live (memory or Redis) is the StateService's business.
import type { FastifyInstance, FastifyPluginAsync } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { tenantOf } from "../http/admission.ts";
import { BEARER_SECURITY } from "../http/openapi.ts";
import { admitCall, httpCallSite, runCall } from "../http/run-call.ts";
import type { Services } from "../services.ts";
import { errorEnvelope, evalRequest, evalResponse } from "../wire/eval.ts";
import { forkRequest, forkResponse, stateEvalRequest, stateIdParams, stateInfo, type StateEvalRequest } from "../wire/states.ts";

const errorReplies = { "4xx": errorEnvelope, "5xx": errorEnvelope };
const withZod = (app: FastifyInstance) => app.withTypeProvider<ZodTypeProvider>();
type Routes = ReturnType<typeof withZod>;

export function statesRoutes(services: Services): FastifyPluginAsync {
  return async (app) => {
    const r = withZod(app);
    createState(r, services);
    evalOnState(r, services);
    forkState(r, services);
    getState(r, services);
    deleteState(r, services);
  };
}

/** The request fields of an eval on a state, without the branching ones. */
function evalPart(body: StateEvalRequest) {
  const { checkpoint: _checkpoint, ...req } = body;
  return req;
}

function createState(r: Routes, services: Services): void {
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
      const site = httpCallSite(request, reply);
      admitCall(services, site);
      const response = await runCall(services, site, request.body, { checkpoint: true });
      // No usable state after a timeout, a limit or a crash: 200 with state_id null.
      reply.code(response.state_id ? 201 : 200);
      return response;
    },
  );
}

function evalOnState(r: Routes, services: Services): void {
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
      const site = httpCallSite(request, reply);
      admitCall(services, site);
      const base = await services.states.open(site.tenant.name, request.params.state_id);
      return runCall(services, site, evalPart(request.body), { base, checkpoint: request.body.checkpoint === true });
    },
  );
}

function forkState(r: Routes, services: Services): void {
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
      const site = httpCallSite(request, reply);
      // One fork is one call of the tenant's rate; its branches are bounded by the request.
      admitCall(services, site);
      // Looked up once for every branch.
      const base = await services.states.open(site.tenant.name, request.params.state_id);
      const results = await Promise.all(
        request.body.branches.map((branch) => runCall(services, site, evalPart(branch), { base, checkpoint: branch.checkpoint === true, branch: true })),
      );
      return { results };
    },
  );
}

function getState(r: Routes, services: Services): void {
  r.get(
    "/v1/states/:state_id",
    {
      schema: { summary: "A state's metadata", security: BEARER_SECURITY, params: stateIdParams, response: { 200: stateInfo, ...errorReplies } },
    },
    async (request) => {
      const state = await services.states.info(tenantOf(request).name, request.params.state_id);
      return {
        state_id: state.id,
        parent_id: state.parentId,
        depth: state.depth,
        bytes: state.bytes,
        created_at: state.createdAt.toISOString(),
        children: state.children,
      };
    },
  );
}

function deleteState(r: Routes, services: Services): void {
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
      await services.states.delete(tenantOf(request).name, request.params.state_id);
      return reply.code(204).send(null);
    },
  );
}
