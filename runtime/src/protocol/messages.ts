// Messages between the daemon and an executor process, as types inferred from the zod schemas
// (schemas.ts): one source per shape. The daemon treats every message from an executor as
// hostile and parses it with those schemas (runtime/src/host/validate.ts).
import type { z } from "zod";
import type {
  callStatusSchema,
  engineInfoSchema,
  executorInfoSchema,
  fingerprintSchema,
  fromExecutorSchema,
  fsDeltaSchema,
  inputFileSchema,
  jobSchema,
  outcomeSchema,
  pythonErrorSchema,
  stateBlobSchema,
  toExecutorSchema,
} from "./schemas.ts";

export type CallStatus = z.infer<typeof callStatusSchema>;
export type InputFile = z.infer<typeof inputFileSchema>;
export type PythonError = z.infer<typeof pythonErrorSchema>;
export type FsDelta = z.infer<typeof fsDeltaSchema>;
export type StateBlob = z.infer<typeof stateBlobSchema>;
export type Job = z.infer<typeof jobSchema>;
export type Outcome = z.infer<typeof outcomeSchema>;
export type EngineInfo = z.infer<typeof engineInfoSchema>;
export type ExecutorInfo = z.infer<typeof executorInfoSchema>;
export type StateFingerprintReport = z.infer<typeof fingerprintSchema>;
export type ToExecutor = z.infer<typeof toExecutorSchema>;
export type FromExecutor = z.infer<typeof fromExecutorSchema>;

/** The outcome of a call that did not run, or whose executor was lost: one builder for all. */
export function failedOutcome(status: CallStatus, error: PythonError, at: { restoreMs?: number; execMs?: number; memoryBytes?: number } = {}): Outcome {
  return {
    status,
    stdout: "",
    stderr: "",
    result: null,
    error,
    truncated: false,
    timing: { restore_ms: at.restoreMs ?? 0, exec_ms: at.execMs ?? 0 },
    memory_bytes: at.memoryBytes ?? 0,
  };
}
