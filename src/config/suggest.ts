// "Did you mean" for unknown keys: the closest known key by edit distance, when it is close enough to be a typo.

/** The known key the user most likely meant by `key`, or undefined when none is close. */
export function suggestKey(key: string, known: readonly string[]): string | undefined {
  const wanted = normalize(key);
  // `containerName`, `container-name` and `Container_Name` all mean `container_name`.
  const sameWord = known.find((candidate) => normalize(candidate) === wanted);
  if (sameWord) return sameWord;
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    const distance = editDistance(wanted, normalize(candidate));
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= maxTypos(wanted.length) ? best : undefined;
}

/** Short keys allow one typo, longer ones a typo per four characters, so `cpu` never suggests `tags`. */
function maxTypos(length: number): number {
  return Math.max(1, Math.floor(length / 4));
}

function normalize(key: string): string {
  return key.toLowerCase().replace(/[-_]/g, "");
}

/**
 * Optimal string alignment distance: insertions, deletions, substitutions and swaps of two neighbours each cost 1,
 * because `prot` for `port` is one slip of the fingers, not two.
 */
export function editDistance(a: string, b: string): number {
  let beforePrevious: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let distance = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        distance = Math.min(distance, (beforePrevious[j - 2] ?? 0) + 1);
      }
      current.push(distance);
    }
    beforePrevious = previous;
    previous = current;
  }
  return previous[b.length] ?? 0;
}
