import { defineRule } from '../engine/rule';
import { toolchainOf } from '../model/knownImages';

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
runtime tags of JDK repositories (\`eclipse-temurin:21-jre\`) are not toolchains.`,
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
    const label = toolchainOf(img);
    if (!label) return;
    const via = s.parent ? ` (through stage ${s.parent.name ?? s.parent.index})` : '';
    report({
      span: s.imageSpan ?? s.from.span,
      message: `The shipped image is based on ${img.text}${via}, which carries ${label}. Build in a builder stage and copy the result into a small runtime image (scratch, distroless or a slim runtime).`,
    });
  },
});
