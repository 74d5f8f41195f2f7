/**
 * Draws the extension's icon, images/icon.png (128×128): a light shield on a deep blue tile, holding
 * a stack of three shipping containers. Shapes are polygons, each pixel sampled 4×4 times for smooth
 * edges, written as an RGBA PNG with Node's zlib. No image library and no art from elsewhere.
 *
 *   npx tsx scripts/draw-icon.ts [OUT]     (default: images/icon.png)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { deflateSync } from 'node:zlib';

const SIZE = 128;
const SAMPLES = 4;

type Point = [number, number];
type Rgb = [number, number, number];

interface Layer {
  inside: (x: number, y: number) => boolean;
  color: Rgb;
}

function polygon(points: Point[]): (x: number, y: number) => boolean {
  return (x, y) => {
    let inside = false;
    for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
      const [xi, yi] = points[i]!;
      const [xj, yj] = points[j]!;
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
    return inside;
  };
}

function roundedRect(x0: number, y0: number, x1: number, y1: number, r: number): (x: number, y: number) => boolean {
  return (x, y) => {
    if (x < x0 || x > x1 || y < y0 || y > y1) return false;
    const cx = Math.min(Math.max(x, x0 + r), x1 - r);
    const cy = Math.min(Math.max(y, y0 + r), y1 - r);
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
  };
}

function quadratic(a: Point, control: Point, b: Point, steps: number): Point[] {
  const out: Point[] = [];
  for (let i = 1; i <= steps; i++) {
    const t = i / steps;
    const u = 1 - t;
    out.push([u * u * a[0] + 2 * u * t * control[0] + t * t * b[0], u * u * a[1] + 2 * u * t * control[1] + t * t * b[1]]);
  }
  return out;
}

/** A shield: a top edge dipping to the middle, straight sides, curving down to a point. */
function shield(inset: number): Point[] {
  const left = 26 + inset;
  const right = 102 - inset;
  const top = 22 + inset;
  const shoulder = 64;
  const tip: Point = [64, 114 - inset * 1.4];
  return [
    [left, top],
    [64, 14 + inset],
    [right, top],
    [right, shoulder],
    ...quadratic([right, shoulder], [right, 94 - inset], tip, 16),
    ...quadratic(tip, [left, 94 - inset], [left, shoulder], 16),
  ];
}

/** A container seen from the side: a box with three darker ribs. */
function container(x0: number, y0: number, w: number, h: number, body: Rgb, rib: Rgb): Layer[] {
  const layers: Layer[] = [{ inside: roundedRect(x0, y0, x0 + w, y0 + h, 1.5), color: body }];
  for (let i = 1; i <= 3; i++) {
    const x = x0 + (w * i) / 4;
    layers.push({ inside: roundedRect(x - 1, y0 + 2.5, x + 1, y0 + h - 2.5, 0.8), color: rib });
  }
  return layers;
}

const BLUE: Rgb = [14, 58, 92];
const SHIELD_EDGE: Rgb = [120, 196, 230];
const SHIELD: Rgb = [236, 244, 248];
const TEAL: Rgb = [22, 138, 160];
const TEAL_RIB: Rgb = [14, 98, 116];
const ORANGE: Rgb = [240, 142, 48];
const ORANGE_RIB: Rgb = [196, 104, 24];

const LAYERS: Layer[] = [
  { inside: roundedRect(0, 0, SIZE, SIZE, 24), color: BLUE },
  { inside: polygon(shield(0)), color: SHIELD_EDGE },
  { inside: polygon(shield(5)), color: SHIELD },
  ...container(38, 66, 24, 16, TEAL, TEAL_RIB),
  ...container(66, 66, 24, 16, TEAL, TEAL_RIB),
  ...container(52, 47, 24, 16, ORANGE, ORANGE_RIB),
];

/** Straight (not premultiplied) RGBA, painted back to front with per-sample coverage. */
function render(): Buffer {
  const rgba = Buffer.alloc(SIZE * SIZE * 4);
  for (let py = 0; py < SIZE; py++) {
    for (let px = 0; px < SIZE; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          const x = px + (sx + 0.5) / SAMPLES;
          const y = py + (sy + 0.5) / SAMPLES;
          let top: Rgb | undefined;
          for (const layer of LAYERS) if (layer.inside(x, y)) top = layer.color;
          if (top) {
            r += top[0];
            g += top[1];
            b += top[2];
            a++;
          }
        }
      }
      const o = (py * SIZE + px) * 4;
      if (a > 0) {
        rgba[o] = Math.round(r / a);
        rgba[o + 1] = Math.round(g / a);
        rgba[o + 2] = Math.round(b / a);
        rgba[o + 3] = Math.round((255 * a) / (SAMPLES * SAMPLES));
      }
    }
  }
  return rgba;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(data: Buffer): number {
  let c = 0xffffffff;
  for (const byte of data) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

export function png(width: number, height: number, rgba: Buffer): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bits per channel
  header[9] = 6; // RGBA
  // Each row starts with filter type 0 (none).
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) rgba.copy(raw, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

if (require.main === module) {
  const out = path.resolve(process.argv[2] ?? path.join(__dirname, '..', 'images', 'icon.png'));
  mkdirSync(path.dirname(out), { recursive: true });
  const data = png(SIZE, SIZE, render());
  writeFileSync(out, data);
  console.log(`${path.relative(process.cwd(), out)}: ${SIZE}×${SIZE}, ${data.length} bytes`);
}
