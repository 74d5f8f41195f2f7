import { defineRule } from '../engine/rule';
import { labelPairs } from '../model/labels';
import { variableReferences } from '../model/variables';

/** Namespaces Docker keeps for itself. */
const RESERVED = ['com.docker.', 'io.docker.', 'org.dockerproject.'];
/** Labels Docker itself asks images to set in its namespace: Docker Desktop extensions' metadata. */
const DOCKER_DEFINED = ['com.docker.desktop.extension.', 'com.docker.extension.'];
/** Keys a format defines, which images must spell as it does (operator bundles: `…metrics.project_layout`). */
const DEFINED_ELSEWHERE = ['operators.operatorframework.io.'];

/** Why `key` is not a well-formed label key; undefined when it is one. */
export function labelKeyProblem(key: string): string | undefined {
  if (key === '') return 'it is empty';
  const reserved = RESERVED.find((ns) => key.startsWith(ns));
  if (reserved && !DOCKER_DEFINED.some((ns) => key.startsWith(ns))) return `the ${reserved}* namespace is reserved for Docker`;
  if (DEFINED_ELSEWHERE.some((ns) => key.startsWith(ns))) return undefined;
  const bad = [
    ...new Set(
      key
        .replace(/[a-z0-9.-]/g, '')
        .replace(/[A-Z]/g, 'A')
        .replace(/\s/g, ' '),
    ),
  ];
  if (bad.length) {
    const what = bad.map((c) => (c === 'A' ? 'upper-case letters' : c === ' ' ? 'blanks' : `"${c}"`));
    return `it holds ${what.join(', ')}: keys are lower-case letters, digits, "." and "-"`;
  }
  if (!/^[a-z]/.test(key)) return 'it must start with a lower-case letter';
  if (!/[a-z0-9]$/.test(key)) return 'it must end with a lower-case letter or a digit';
  const doubled = /\.\.|--/.exec(key);
  if (doubled) return `it holds "${doubled[0]}": separators stand alone`;
  return undefined;
}

export default defineRule({
  id: 'label-key-invalid',
  severity: 'info',
  summary: 'A label key is not a lower-case, reverse-DNS style key, or uses a namespace reserved for Docker.',
  rationale: `Docker's guidelines for label keys: lower-case letters, digits, \`.\` and \`-\`, starting with a
letter and ending with a letter or digit, with no \`..\` or \`--\`; prefixed with the reverse DNS name of
who defines them (\`org.opencontainers.image.source\`, \`com.example.team\`). The \`com.docker.*\`,
\`io.docker.*\` and \`org.dockerproject.*\` namespaces are reserved for Docker's own use. Keys that
follow these rules are the ones tools and filters (\`docker image ls --filter label=…\`) read without
surprises: \`Version\`, \`build_date\` and \`version\` are three different labels.`,
  differences: `- A key that holds a variable (\`LABEL $PREFIX.version=1\`) is checked after substitution where
  the variable's value is known (\`ARG PREFIX=com.example\`); where it is not (a build argument without
  a default, an environment variable of the base image, an \`ONBUILD\` trigger) the finding says the
  key is not fixed text. hadolint checks the text as written, for which \`$\` is not a valid character.
- Labels Docker defines in its own namespace for Docker Desktop extensions
  (\`com.docker.desktop.extension.*\`, \`com.docker.extension.*\`) are not reported: Docker asks
  extension images to set them. Nor are the Operator Framework's bundle labels
  (\`operators.operatorframework.io.*\`, e.g. \`…metrics.project_layout\`), which bundle images must
  spell as that format defines them.`,
  equivalents: { hadolint: ['DL3048'] },
  examples: {
    invalid: [
      `FROM alpine:3.20
LABEL com.docker.team="platform" Version="1.0"
#     ^^^^^^^^^^^^^^^ label-key-invalid
#                                ^^^^^^^ label-key-invalid
`,
    ],
    valid: [
      `FROM alpine:3.20
LABEL org.opencontainers.image.version="1.0" \\
      com.example.team="platform" \\
      maintainer="Jane Doe <jane@example.com>"
`,
    ],
  },
  check({ model, report }) {
    for (const pair of labelPairs(model)) {
      if (pair.key === undefined) {
        const refs = [...new Set(variableReferences(pair.rawKey, model.escapeChar).map((r) => `$${r.name}`))];
        report({
          span: pair.keySpan,
          message: `Label key "${pair.rawKey}" is built from ${refs.length > 1 ? 'variables' : 'a variable'} (${refs.join(', ') || 'a substitution'}) whose value is not known here: label keys are fixed names that tools look up.`,
        });
        continue;
      }
      const problem = labelKeyProblem(pair.key);
      if (!problem) continue;
      report({ span: pair.keySpan, message: `Label key "${pair.key}" is not a valid key: ${problem}.` });
    }
  },
});
