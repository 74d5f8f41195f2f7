/** EXPOSE arguments: `port[/proto]` or `from-to[/proto]`, each with its span and validity. */
import type { DockerfileModel } from './model';
import type { Span } from './text';
import { endOffset } from './logical';
import { expandWord } from './variables';

export interface ExposedPort {
  text: string;
  span: Span;
  /** Contains a variable whose value is unknown. */
  dynamic: boolean;
  valid: boolean;
  /** Why it is not valid. */
  problem?: string;
  start?: number;
  end?: number;
  protocol?: string;
}

export function parsePort(text: string): Pick<ExposedPort, 'valid' | 'problem' | 'start' | 'end' | 'protocol'> {
  const m = /^(\d+)(?:-(\d+))?(?:\/([A-Za-z]+))?$/.exec(text);
  if (!m) {
    // 80:8080, 127.0.0.1:80:8080, [::1]:80:8080
    if (/^(\d+|[\d.]+:\d*|\[[\dA-Fa-f:]*\]:\d*):\d+/.test(text))
      return { valid: false, problem: 'a host address or host:container mapping belongs to docker run -p, not EXPOSE' };
    return { valid: false, problem: 'not a port, a port range or port/protocol' };
  }
  const start = Number(m[1]);
  const end = m[2] === undefined ? start : Number(m[2]);
  const protocol = m[3]?.toLowerCase();
  if (protocol && !['tcp', 'udp', 'sctp'].includes(protocol))
    return { valid: false, problem: `"${m[3]}" is not a protocol (tcp, udp or sctp)`, start, end };
  for (const p of [start, end])
    if (p < 1 || p > 65535) return { valid: false, problem: `port ${p} is outside 1–65535`, start, end, protocol };
  if (end < start) return { valid: false, problem: `the range ends before it starts`, start, end, protocol };
  return { valid: true, start, end, protocol };
}

export function exposedPorts(model: DockerfileModel): ExposedPort[] {
  return model.cached('ports', () => {
    const out: ExposedPort[] = [];
    for (const stage of model.stages) {
      for (const instr of stage.instructions) {
        if (instr.keyword !== 'EXPOSE') continue;
        const logical = model.argumentsOf(instr);
        const re = /\S+/g;
        let m: RegExpExecArray | null;
        while ((m = re.exec(logical.text))) {
          const raw = m[0];
          const span = { start: logical.at(m.index), end: endOffset(logical, m.index + raw.length) };
          const value = expandWord(raw, instr.scope ?? new Map(), model.escapeChar);
          if (value === undefined) {
            out.push({ text: raw, span, dynamic: true, valid: true });
            continue;
          }
          // The builder splits an expanded value into words: ARG PORTS="80 443" + EXPOSE $PORTS is two ports.
          const parts = value.split(/\s+/).filter(Boolean);
          for (const part of parts.length ? parts : [value])
            out.push({ text: part === value ? raw : part, span, dynamic: false, ...parsePort(part) });
        }
      }
    }
    return out;
  });
}
