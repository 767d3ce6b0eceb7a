/**
 * Order the cards of a batch so that every dependant (secondary or supplementary card) comes
 * before the card it depends on — the order the provider must cancel them in.
 */
export interface BatchCard {
  id: string;
  parentCardId: string | null;
}

export function orderDependantsFirst<T extends BatchCard>(cards: T[]): T[] {
  const byId = new Map(cards.map((c) => [c.id, c]));
  // Depth = how many ancestors inside the batch; deeper cards go first, ties keep the given order.
  const depth = (c: T): number => {
    let d = 0;
    let parent = c.parentCardId ? byId.get(c.parentCardId) : undefined;
    const seen = new Set<string>([c.id]);
    while (parent && !seen.has(parent.id)) {
      seen.add(parent.id);
      d++;
      parent = parent.parentCardId ? byId.get(parent.parentCardId) : undefined;
    }
    return d;
  };
  return cards
    .map((c, i) => ({ c, i, d: depth(c) }))
    .sort((a, b) => b.d - a.d || a.i - b.i)
    .map((x) => x.c);
}
