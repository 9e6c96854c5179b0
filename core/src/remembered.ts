/**
 * A pure function of one key with its answers kept: the long-running site builder asks the same
 * questions of every day of the history on every cycle (day names, ISO weeks, local midnights,
 * formatted figures). At most `limit` answers are kept, all let go at once when it is reached, so a
 * process that runs for years does not grow.
 */
export function remembered<K, V>(compute: (key: K) => V, limit = 100_000): (key: K) => V {
  const known = new Map<K, V>();
  return (key) => {
    let value = known.get(key);
    if (value === undefined) {
      value = compute(key);
      if (known.size >= limit) known.clear();
      known.set(key, value);
    }
    return value;
  };
}
