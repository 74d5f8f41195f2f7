import * as assert from 'node:assert/strict';
import { lint } from '../../../server/src/linter/lint';
import { applyEdits } from '../../../server/src/engine/edits';
import { ruleCases } from '../helpers';

const ID = 'copy-without-chown';

describe(ID, () => {
  ruleCases(ID, {
    valid: [
      {
        name: 'files the user only reads (no evidence of writes)',
        code: `FROM debian:12-slim
RUN useradd -u 10001 app
USER app
COPY config.yml /etc/app/config.yml
COPY bin/ /opt/app/
CMD ["/opt/app/server"]
`,
      },
      {
        name: 'a directory named data is not evidence',
        code: `FROM debian:12-slim
USER 10001
COPY defaults/ /app/data/
CMD ["/app/server"]
`,
      },
      {
        name: 'with --chown',
        code: `FROM debian:12-slim
USER 10001
COPY --chown=10001 seed/ /data/
VOLUME /data
`,
      },
      {
        name: 'a later RUN as root hands it over',
        code: `FROM debian:12-slim
USER 10001
COPY seed/ /data/
USER root
RUN chown -R 10001 /data
USER 10001
VOLUME /data
`,
      },
      {
        name: 'copied before USER: root copies, and the runtime user is someone else',
        code: `FROM debian:12-slim
COPY seed/ /data/
VOLUME /data
USER 10001
`,
      },
      {
        name: 'the container runs as root in the end',
        code: `FROM debian:12-slim
USER 10001
COPY seed/ /data/
VOLUME /data
USER root
`,
      },
      {
        name: 'only the stage that ships',
        code: `FROM debian:12-slim AS seed
USER 10001
COPY seed/ /data/
VOLUME /data
FROM debian:12-slim
USER 10001
CMD ["sleep", "1"]
`,
      },
      {
        name: '--chmod that lets others write',
        code: `FROM debian:12-slim
USER 10001
COPY --chmod=0777 seed/ /data/
VOLUME /data
`,
      },
      {
        name: 'npm install in a WORKDIR the user made (WORKDIR, not the COPY, made the directory)',
        code: `FROM node:22-slim
USER node
WORKDIR /home/node/app
COPY package.json package-lock.json ./
RUN npm ci
`,
      },
      {
        name: 'a write to a file the COPY did not make',
        code: `FROM debian:12-slim
USER 10001
COPY app.tmpl /srv-app/app.tmpl
RUN envsubst < /srv-app/app.tmpl > /tmp/app.conf
`,
      },
      {
        name: 'an image the tool does not know (the directory may be there, owned by the user)',
        code: `FROM example.com/base:1
USER 10001
COPY package.json /code/
WORKDIR /code
RUN npm install
`,
      },
    ],
    invalid: [
      {
        name: 'into a VOLUME the container writes',
        code: `FROM debian:12-slim
RUN useradd -u 10001 app
USER app
COPY seed/ /data/seed/
#          ^^^^^^^^^^^ copy-without-chown
VOLUME /data
`,
      },
      {
        name: 'a later RUN as the user writes a copied file',
        code: `FROM debian:12-slim
USER 10001
COPY app.conf /etc/app.conf
#             ^^^^^^^^^^^^^ copy-without-chown
RUN echo "port=8080" >> /etc/app.conf
`,
      },
      {
        name: 'a later RUN as the user chmods a copied file',
        code: `FROM debian:12-slim
USER 10001
COPY start.sh /usr/local/bin/
#             ^^^^^^^^^^^^^^^ copy-without-chown
RUN chmod +x /usr/local/bin/start.sh
`,
      },
      {
        name: 'npm install in a directory the COPY made',
        code: `FROM node:22-slim
USER node
COPY package.json /code/
#                 ^^^^^^ copy-without-chown
WORKDIR /code
RUN npm install
`,
      },
      {
        name: 'mkdir in a directory the COPY made',
        code: `FROM debian:12-slim
USER 10001
COPY static/ /site/
#            ^^^^^^ copy-without-chown
RUN mkdir /site/cache
`,
      },
    ],
  });

  it('says who owns the files, the evidence, and suggests --chown as the USER names the user', async () => {
    const text = 'FROM debian:12-slim\nARG U=app\nUSER $U\nCOPY seed/ /data/\nVOLUME /data\n';
    const [f] = lint(text, { only: [ID] }).findings;
    assert.match(f.message, /owned by root, whatever USER says, and app must write there: it is in VOLUME \/data \(line 5\)/);
    const [fix] = f.fixes ?? [];
    assert.equal(fix.kind, 'suggestion');
    assert.equal(fix.preferred, false);
    const after = applyEdits(text, await fix.edits({}));
    assert.equal(after, 'FROM debian:12-slim\nARG U=app\nUSER $U\nCOPY --chown=$U seed/ /data/\nVOLUME /data\n');
    assert.deepEqual(lint(after, { only: [ID] }).findings, []);
  });

  it('names the RUN that fails', () => {
    const text = 'FROM debian:12-slim\nUSER 10001\nCOPY start.sh /usr/local/bin/\nRUN chmod +x /usr/local/bin/start.sh\n';
    const [f] = lint(text, { only: [ID] }).findings;
    assert.match(
      f.message,
      /the RUN at line 4, run as 10001, runs chmod on \/usr\/local\/bin\/start.sh, which only its owner \(root\) may do: that fails with Permission denied/,
    );
  });

  it('is off in Windows images', () => {
    const text = 'FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nUSER ContainerUser\nCOPY seed C:/data/\nVOLUME C:/data\n';
    assert.deepEqual(lint(text, { only: [ID] }).findings, []);
  });
});
