// The OS confinement layers, by the names /healthz, the ready line and `security.require` use.
// A module of its own so the daemon's config schema can name them without loading the probes.
export const OS_LAYERS = ["landlock", "seccomp", "unprivileged_uid", "node_permission", "code_generation", "wasm_memory_cap", "empty_environment"] as const;
export type OsLayer = (typeof OS_LAYERS)[number];
