import { defineRule, type LabelType, type RuleContext } from '../engine/rule';
import type { DockerfileModel } from '../model/model';
import type { Stage } from '../model/stage';
import { labelPairs, type LabelPair } from '../model/labels';
import { stageUsers } from '../model/stageUsers';
import { LABEL_TYPE_NAMES, labelValueProblem } from '../model/labelValues';

/** The hadolint code of each type's format check. */
const FORMAT_CODE: Record<Exclude<LabelType, 'text'>, string> = {
  url: 'DL3052',
  rfc3339: 'DL3053',
  spdx: 'DL3054',
  hash: 'DL3055',
  semver: 'DL3056',
  email: 'DL3058',
};

/**
 * The stages that are images of their own: those no other stage builds on or copies from (each can be
 * built with `--target`), and the stage that ships.
 */
function imageStages(model: DockerfileModel): Stage[] {
  const users = stageUsers(model);
  return model.stages.filter((s) => !s.implicit && (!users.has(s) || s === model.shipped));
}

function missingLabels(model: DockerfileModel, schema: Record<string, LabelType>, report: RuleContext['report']): void {
  const pairs = labelPairs(model).filter((p) => !p.onbuild);
  for (const stage of imageStages(model)) {
    const chain = new Set(stage.chain);
    const own = pairs.filter((p) => p.instr.stage && chain.has(p.instr.stage));
    // A key the text does not tell (a variable) may be any label: nothing is known to be missing.
    if (own.some((p) => p.key === undefined)) continue;
    const set = new Set(own.map((p) => p.key));
    const missing = Object.keys(schema).filter((k) => !set.has(k));
    if (!missing.length) continue;
    const where = stage.name ? `stage "${stage.name}"` : model.stages.length > 1 ? `stage ${stage.index}` : 'the image';
    const inherited = stage.chain.length > 1 ? ' (nor in the stages it is built on)' : '';
    const list = missing.map((k) => `"${k}"`).join(', ');
    report({
      span: stage.nameSpan ?? stage.imageSpan ?? stage.from.keywordSpan,
      message: `${missing.length > 1 ? 'Labels' : 'Label'} ${list} of the label schema ${missing.length > 1 ? 'are' : 'is'} not set in ${where}${inherited}.`,
      severity: 'info',
      hadolint: ['DL3049'],
    });
  }
}

function checkPair(pair: LabelPair, schema: Record<string, LabelType>, strict: boolean, report: RuleContext['report']): void {
  if (pair.key === undefined) return;
  const type = Object.prototype.hasOwnProperty.call(schema, pair.key) ? schema[pair.key] : undefined;
  if (type === undefined) {
    if (strict)
      report({
        span: pair.keySpan,
        message: `Label "${pair.key}" is not in the label schema (strict labels).`,
        severity: 'info',
        hadolint: ['DL3050'],
      });
    return;
  }
  if (pair.value === undefined) return; // a variable whose value is unknown
  if (pair.value === '') {
    const span = pair.valueSpan.start < pair.valueSpan.end ? pair.valueSpan : pair.keySpan;
    report({ span, message: `Label "${pair.key}" is empty.`, hadolint: ['DL3051'] });
    return;
  }
  if (type === 'text') return;
  const problem = labelValueProblem(type, pair.value);
  if (!problem) return;
  report({
    span: pair.valueSpan,
    message: `Label "${pair.key}" should be ${LABEL_TYPE_NAMES[type]}: ${problem}.`,
    hadolint: [FORMAT_CODE[type]],
  });
}

export default defineRule({
  id: 'label-schema',
  severity: 'warning',
  enabled: false,
  summary: 'Labels do not follow the project label schema: a required label is missing, empty or badly formed.',
  rationale: `A project can say which labels its images must carry and what their values are:
\`labelSchema\` (a mapping of label to type) and \`strictLabels\` in \`.dockerfile-hardener.yaml\`, or
hadolint's \`label-schema:\` and \`strict-labels:\` in \`.hadolint.yaml\`. Types: \`text\` (anything
but empty), \`url\` (an absolute URL), \`rfc3339\` (a date-time such as \`2024-05-01T12:00:00Z\`),
\`spdx\` (an SPDX license expression: ids such as \`MIT\` or \`Apache-2.0\`, \`LicenseRef-…\`, joined
with \`AND\`, \`OR\` and \`WITH <exception>\`; the ids known are the common ones of the SPDX list),
\`hash\` (a git commit hash), \`semver\` (\`1.2.3\`, \`2.0.0-rc.1\`) and \`email\` (\`jane@example.com\`).

Each image the file builds (a stage no other stage builds on or copies from, and the stage that ships)
must set every label of the schema, itself or in the stages it is built on. With \`strictLabels\`, a
label outside the schema is reported too. The rule is off until a schema (or \`strictLabels\`) is
configured, and then on. Examples here use the schema
\`{ org.opencontainers.image.source: url, org.opencontainers.image.licenses: spdx }\`.`,
  differences: `- A missing label is reported once per image stage, naming every missing label, where hadolint
  reports each label separately; stages another stage uses through \`RUN --mount=from=\` count as
  used, as \`FROM\` and \`COPY --from\` do for both tools.
- \`spdx\` takes license expressions (\`MIT OR Apache-2.0\`), which the OCI annotation
  \`org.opencontainers.image.licenses\` is; hadolint takes one identifier only.
- \`hash\` takes 7 to 40 hexadecimal digits (abbreviated hashes grow with a repository), or 64
  (SHA-256 repositories); hadolint takes exactly 7 or 40.
- An empty value is reported as empty only (DL3051), not also as a bad URL, date or version.
- Values and keys holding a variable are checked after substitution, and not at all when its
  value is unknown (a build argument set with \`--build-arg\`).`,
  equivalents: { hadolint: ['DL3049', 'DL3050', 'DL3051', 'DL3052', 'DL3053', 'DL3054', 'DL3055', 'DL3056', 'DL3058'] },
  configured: (options) => Object.keys(options.labelSchema ?? {}).length > 0 || options.strictLabels === true,
  examples: {
    options: { labelSchema: { 'org.opencontainers.image.source': 'url', 'org.opencontainers.image.licenses': 'spdx' } },
    invalid: [
      `FROM alpine:3.20
#    ^^^^^^^^^^^ label-schema
LABEL org.opencontainers.image.source="github.com/example/app"
#                                     ^^^^^^^^^^^^^^^^^^^^^^^^ label-schema
`,
    ],
    valid: [
      `FROM alpine:3.20
LABEL org.opencontainers.image.source="https://github.com/example/app" \\
      org.opencontainers.image.licenses="MIT OR Apache-2.0"
`,
    ],
  },
  check({ model, options, report }) {
    const schema = options.labelSchema ?? {};
    const strict = options.strictLabels === true;
    if (!Object.keys(schema).length && !strict) return;
    missingLabels(model, schema, report);
    for (const pair of labelPairs(model)) checkPair(pair, schema, strict, report);
  },
});
