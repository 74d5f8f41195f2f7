import { defineRule } from '../engine/rule';
import { knownToolchainRepository, toolchainOf } from '../model/knownImages';
import { toolchainFromFacts } from '../model/imageFacts';
import { runtimeOf, serviceEvidence } from '../model/runtime';

export default defineRule({
  id: 'toolchain-final-stage',
  severity: 'warning',
  summary: 'The shipped image is a build toolchain image.',
  rationale: `Toolchain images (golang, rust, gcc, maven, gradle, JDKs, the .NET SDK…) carry compilers,
package caches and shells: \`golang\` alone is about 800 MB, with hundreds of packages to patch and a
large attack surface. Build in a builder stage and copy only the result into a runtime image:
\`scratch\` or distroless for static binaries (about 2 MB for a Go program), a JRE or slim runtime
image otherwise.

The rule looks at the base the shipped stage ends up on, through stages it inherits from. JRE and
runtime tags of JDK repositories (\`eclipse-temurin:21-jre\`) are not toolchains. Images are known
offline by name (a list of the toolchain images of Docker Hub and Microsoft's registry); any other
image is recognised by its config once a registry lookup has read it (hover, the pin actions or the
CLI's \`--image-facts\`): \`GOLANG_VERSION\`, \`RUSTUP_HOME\`, \`MAVEN_HOME\`, \`GRADLE_HOME\`,
\`DOTNET_SDK_VERSION\`, or \`/usr/local/go/bin\` or \`/usr/local/cargo/bin\` on
\`PATH\`. The message then says where that came from. \`JAVA_HOME\` is no evidence (JRE images set
it as JDK images do), and a repository the list knows is not second-guessed by its config.

Only a service is judged: an image that runs a program of its own. A builder image (\`caddy:builder\`),
a CI or development environment, a linter or generator that needs the compiler at run time, and an
image that sets no command (it is one to build on or to run commands in) ship the toolchain on
purpose, and the rule stays silent on them. The role comes from the same evidence as root-user's
(the file's name and directories, stage names, the command); state it with
\`# dockerfile-hardener role=toolchain\` where nothing in the file says so. A JDK image whose directory
or file name says jdk (\`tomcat/9.0/jdk21/Dockerfile\`) is the JDK variant of an image published
beside its JRE variant on purpose, and is not reported.`,
  equivalents: {},
  examples: {
    invalid: [
      `FROM golang:1.22
#    ^^^^^^^^^^^ toolchain-final-stage
WORKDIR /src
COPY . .
RUN go build -o /app .
CMD ["/app"]
`,
      `FROM maven:3.9-eclipse-temurin-21 AS build
RUN mvn package

FROM build
#    ^^^^^ toolchain-final-stage
CMD ["java", "-jar", "/app.jar"]
`,
    ],
    valid: [
      `FROM golang:1.22 AS build
RUN go build -o /app .

FROM scratch
COPY --from=build /app /app
`,
      `FROM eclipse-temurin:21-jre
`,
    ],
  },
  check({ model, report }) {
    const s = model.shipped;
    const img = s?.rootImage;
    if (!s || !img) return;
    // The offline list first (its labels are written for it), else what the image's config shows.
    // A repository the list knows (a JDK repository's JRE tags) is not second-guessed.
    const fromFacts = knownToolchainRepository(img) ? undefined : toolchainFromFacts(model.imageFacts, img);
    const label = toolchainOf(img) ?? fromFacts?.label;
    if (!label) return;
    // A builder, toolchain, development or CI image ships its toolchain on purpose.
    const rt = runtimeOf(s);
    if (rt.role.kind !== 'service') return;
    // A JDK variant published on purpose beside a JRE one: its directory or file name says jdk (docker-library's tomcat/9.0/jdk21/…).
    if (/JDK/.test(label) && model.path && model.path.split(/[\\/]/).some((part) => /(^|[^a-z])jdk\d*([^a-z]|$)/i.test(part))) return;
    const via = s.parent ? ` (through stage ${s.parent.name ?? s.parent.index})` : '';
    report({
      span: s.imageSpan ?? s.from.span,
      message: `The shipped image is based on ${img.text}${via}, which carries ${label}${fromFacts ? ` (by ${fromFacts.evidence})` : ''}, and is taken as a service (${serviceEvidence(rt)}). Build in a builder stage and copy the result into a small runtime image (scratch, distroless or a slim runtime); if the program needs the toolchain at run time, mark the file with # dockerfile-hardener role=toolchain.`,
    });
  },
});
