// `gsim schema`: prints the JSON Schema of scenario files (for editor autocompletion).
import { ConfigError } from "../../core/errors.ts";
import { EXIT_OK, type Command } from "../command.ts";
import { scenarioJsonSchema } from "../scenario/jsonSchema.ts";

export const command: Command = {
  name: "schema",
  summary: "print the JSON Schema of scenario files",
  help: `usage: gsim schema

Prints the JSON Schema (draft 2020-12) of scenario files on stdout, e.g.
  gsim schema > scenario.schema.json
and in a YAML file:  # yaml-language-server: $schema=./scenario.schema.json`,
  async run(argv) {
    if (argv.length > 0) throw new ConfigError(`gsim schema takes no arguments, got ${argv.join(" ")}`);
    console.log(JSON.stringify(scenarioJsonSchema(), null, 2));
    return EXIT_OK;
  },
};
