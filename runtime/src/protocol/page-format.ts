// How a state's pages are encoded (StateBlob.page_format, and the state envelope's format
// version): 1, each whole page XOR-ed with the page it was taken against, raw-deflated; 2, only the
// spans that differ (executor/page-spans.ts). Executors capture CAPTURED_PAGE_FORMAT and read
// both. Apart from schemas.ts so that the executor, which imports it, stays free of zod.
export const PAGE_FORMATS = [1, 2] as const;
export type PageFormat = (typeof PAGE_FORMATS)[number];
export const CAPTURED_PAGE_FORMAT: PageFormat = 2;
