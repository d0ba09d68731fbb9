/**
 * Moving through a drawn map by keyboard: an arrow key goes to the nearest node that way, as a reader scanning
 * the drawing would, favouring nodes in line with the one left over nodes closer but off to the side.
 */
export interface Box {
  readonly id: string;
  readonly x: number;
  readonly y: number;
}

export type Direction = 'up' | 'down' | 'left' | 'right';

export function nextNode<T extends Box>(nodes: readonly T[], from: Box, direction: Direction): T | undefined {
  let best: T | undefined;
  let bestScore = Infinity;
  for (const node of nodes) {
    if (node.id === from.id) continue;
    const dx = node.x - from.x;
    const dy = node.y - from.y;
    const [ahead, aside] = direction === 'up' ? [-dy, dx] : direction === 'down' ? [dy, dx] : direction === 'left' ? [-dx, dy] : [dx, dy];
    if (ahead <= 0.5) continue;
    const score = ahead + 2 * Math.abs(aside);
    if (score < bestScore) {
      best = node;
      bestScore = score;
    }
  }
  return best;
}
