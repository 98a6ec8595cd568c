// Durable batches: POST /v1/batches accepts programs (or branches of one state) as jobs and
// answers at once (202); GET gives progress and the results so far; DELETE cancels what has not
// run. Jobs run on every daemon's workers through the call path (batches/run-job.ts). A batch
// belongs to the tenant that submitted it; another tenant's is as unknown as a missing one.
import type { FastifyInstance, FastifyPluginAsync } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { BatchSpec } from "../batches/types.ts";
import { errors } from "../errors.ts";
import { tenantOf } from "../http/admission.ts";
import { BEARER_SECURITY } from "../http/openapi.ts";
import { admitCall, httpCallSite } from "../http/run-call.ts";
import type { Services } from "../services.ts";
import { batchIdParams, batchQuery, batchRequest, batchView, MAX_RESULTS_PAGE, type BatchRequest } from "../wire/batches.ts";
import { errorEnvelope } from "../wire/eval.ts";

const errorReplies = { "4xx": errorEnvelope, "5xx": errorEnvelope };
const withZod = (app: FastifyInstance) => app.withTypeProvider<ZodTypeProvider>();
type Routes = ReturnType<typeof withZod>;

export function batchesRoutes(services: Services): FastifyPluginAsync {
  return async (app) => {
    const r = withZod(app);
    submitBatch(r, services);
    getBatch(r, services);
    cancelBatch(r, services);
  };
}

function specOf(body: BatchRequest): BatchSpec {
  return "requests" in body ? { requests: body.requests } : { state_id: body.state_id, branches: body.branches };
}

function submitBatch(r: Routes, services: Services): void {
  r.post(
    "/v1/batches",
    {
      schema: {
        summary: "Queue programs, or branches of one state, as a durable batch of jobs",
        security: BEARER_SECURITY,
        body: batchRequest,
        response: { 202: batchView, ...errorReplies },
      },
    },
    async (request, reply) => {
      const site = httpCallSite(request, reply);
      // One batch is one call of the tenant's rate, as a fork is; its jobs are bounded by
      // batches.max_items and run under the tenant's concurrency and crash budget.
      admitCall(services, site);
      const spec = specOf(request.body);
      // A fork spec names a state: an unknown one is refused now, not job by job.
      if ("state_id" in spec) await services.states.info(site.tenant.name, spec.state_id);
      const accepted = await services.batches.submit(site.tenant.name, spec);
      reply.code(202);
      return accepted;
    },
  );
}

function getBatch(r: Routes, services: Services): void {
  r.get(
    "/v1/batches/:batch_id",
    {
      schema: {
        summary: "A batch's progress and the results recorded so far",
        security: BEARER_SECURITY,
        params: batchIdParams,
        querystring: batchQuery,
        response: { 200: batchView, ...errorReplies },
      },
    },
    async (request) => {
      const { from, limit = MAX_RESULTS_PAGE } = request.query;
      const view = await services.batches.get(tenantOf(request).name, request.params.batch_id, { from, limit });
      if (!view) throw errors.batchNotFound(request.params.batch_id);
      return view;
    },
  );
}

function cancelBatch(r: Routes, services: Services): void {
  r.delete(
    "/v1/batches/:batch_id",
    {
      schema: {
        summary: "Cancel the jobs of a batch that have not started (running ones finish and are kept)",
        security: BEARER_SECURITY,
        params: batchIdParams,
        response: { 200: batchView, ...errorReplies },
      },
    },
    async (request) => {
      const view = await services.batches.cancel(tenantOf(request).name, request.params.batch_id);
      if (!view) throw errors.batchNotFound(request.params.batch_id);
      return view;
    },
  );
}
