/** A config problem found at startup; the message is meant for the operator, as is. */
export class ConfigError extends Error {
  /** One line per problem, each naming the key path (without the "config error: " prefix). */
  readonly problems: readonly string[];

  constructor(problem: string | readonly string[]) {
    const problems = typeof problem === "string" ? [problem] : [...problem];
    super(problems.map((p) => `config error: ${p}`).join("\n"));
    this.name = "ConfigError";
    this.problems = problems;
  }
}
