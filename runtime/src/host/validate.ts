// Everything an executor says is checked before the daemon believes it: a compromised executor
// may send anything. Unknown shapes kill the executor (see executor-process.ts).
import type { FromExecutor } from "../protocol/messages.ts";
import { fromExecutorSchema } from "../protocol/schemas.ts";

export { fromExecutorSchema };

export function parseFromExecutor(raw: unknown): FromExecutor {
  return fromExecutorSchema.parse(raw);
}
