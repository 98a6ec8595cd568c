// Writes sdks/contract/error-codes.json from the daemon's registry (daemon/src/errors.ts
// ERROR_CODES), the one list both SDKs map to exception classes. With --check it writes nothing
// and exits 1 when the committed file has drifted from the registry.
//   node --import tsx sdks/contract/generate-error-codes.ts [--check]
import { readFileSync, writeFileSync } from "node:fs";
import { ERROR_CODES } from "../../daemon/src/errors.ts";

export const ERROR_CODES_FILE = new URL("./error-codes.json", import.meta.url);

/** `invalid_request` → `InvalidRequestError`: the class name in both SDKs. */
export function className(code: string): string {
  return `${code.split("_").map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join("")}Error`;
}

export function renderErrorCodes(): string {
  const codes = Object.fromEntries(
    Object.entries(ERROR_CODES).map(([code, spec]) => [
      code,
      { status: spec.status, class: className(code), retryable: spec.status === 429 },
    ]),
  );
  const doc = {
    $comment:
      "Generated from daemon/src/errors.ts ERROR_CODES by `node --import tsx sdks/contract/generate-error-codes.ts`; do not edit.",
    codes,
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const wanted = renderErrorCodes();
  if (process.argv.includes("--check")) {
    const current = readFileSync(ERROR_CODES_FILE, "utf8");
    if (current !== wanted) {
      console.error("sdks/contract/error-codes.json is out of date; run node --import tsx sdks/contract/generate-error-codes.ts");
      process.exit(1);
    }
  } else {
    writeFileSync(ERROR_CODES_FILE, wanted);
  }
}
