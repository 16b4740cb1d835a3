// Draws the two Teams app icons once; the PNGs are committed beside this file.
//   npx tsx manifest/drawIcons.ts
// The glyph is two interlinked rings (a person joined to their organisation): on a blue rounded
// square for the 192×192 colour icon, white on transparent for the 32×32 outline icon.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodePng, type RgbaImage } from './png';

/** Fluent / Teams brand blue, also the manifest's accentColor. */
export const ICON_BLUE: readonly [number, number, number] = [0x0f, 0x6c, 0xbd];
const WHITE: readonly [number, number, number] = [0xff, 0xff, 0xff];

interface Rings {
  /** Horizontal distance of each ring's centre from the middle (unit square). */
  offset: number;
  radius: number;
  stroke: number;
  /** Clear space cut into the ring that passes underneath. */
  gap: number;
}

/** Is the point (x, y) of the unit square on the interlinked-rings glyph? */
function onRings(x: number, y: number, r: Rings): boolean {
  const ring = (cx: number, halfWidth: number) => Math.abs(Math.hypot(x - cx, y - 0.5) - r.radius) <= halfWidth;
  const left = ring(0.5 - r.offset, r.stroke / 2);
  const right = ring(0.5 + r.offset, r.stroke / 2);
  // The rings cross at the top and bottom of the middle line: the right ring passes over the
  // left one at the top, under it at the bottom, so they read as linked rather than merely
  // overlapping.
  if (y < 0.5) return right || (left && !ring(0.5 + r.offset, r.stroke / 2 + r.gap));
  return left || (right && !ring(0.5 - r.offset, r.stroke / 2 + r.gap));
}

function inRoundedSquare(x: number, y: number, radius: number): boolean {
  const dx = Math.max(radius - x, x - (1 - radius), 0);
  const dy = Math.max(radius - y, y - (1 - radius), 0);
  return dx * dx + dy * dy <= radius * radius;
}

/** Renders `paint(x, y)` (a colour or nothing) with 8×8 supersampling for smooth edges. */
function render(size: number, paint: (x: number, y: number) => readonly [number, number, number] | undefined): RgbaImage {
  const n = 8;
  const rgba = new Uint8Array(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let covered = 0;
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const colour = paint((px + (sx + 0.5) / n) / size, (py + (sy + 0.5) / n) / size);
          if (!colour) continue;
          r += colour[0];
          g += colour[1];
          b += colour[2];
          covered++;
        }
      }
      const at = (py * size + px) * 4;
      if (covered === 0) continue; // fully transparent black
      rgba[at] = Math.round(r / covered);
      rgba[at + 1] = Math.round(g / covered);
      rgba[at + 2] = Math.round(b / covered);
      rgba[at + 3] = Math.round((covered / (n * n)) * 255);
    }
  }
  return { width: size, height: size, rgba };
}

/** 192×192, full colour: white rings on a blue rounded square. */
export function drawColorIcon(): Buffer {
  const rings: Rings = { offset: 0.115, radius: 0.175, stroke: 0.07, gap: 0.035 };
  return encodePng(render(192, (x, y) => {
    if (!inRoundedSquare(x, y, 0.18)) return undefined;
    return onRings(x, y, rings) ? WHITE : ICON_BLUE;
  }));
}

/** 32×32 outline: the same rings, white on transparent, a little bolder to survive the size. */
export function drawOutlineIcon(): Buffer {
  const rings: Rings = { offset: 0.14, radius: 0.22, stroke: 0.1, gap: 0.05 };
  return encodePng(render(32, (x, y) => (onRings(x, y, rings) ? WHITE : undefined)));
}

if (require.main === module) {
  for (const [name, png] of [['color.png', drawColorIcon()], ['outline.png', drawOutlineIcon()]] as const) {
    writeFileSync(join(__dirname, name), png);
    process.stdout.write(`Wrote manifest/${name} (${png.length} bytes)\n`);
  }
}
