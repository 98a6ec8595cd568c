// Real services for the cluster tests, started by the tests themselves: a throwaway
// redis-server and an HAProxy in front of N backends (see each file). Programs missing from
// PATH are installed with apt-get when running as root, or the test fails naming the package.
export { cannotInstall, PACKAGES, requirePrograms, which, type Program } from "./binaries.ts";
export { Haproxy, haproxyConfig, type Backend, type HaproxyOptions, type ServerState } from "./haproxy.ts";
export { accepts, Child, freePort, LOOPBACK, waitFor } from "./process.ts";
export { RedisServer, type RedisServerOptions } from "./redis-server.ts";
