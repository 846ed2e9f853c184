// Pure: the order of an app's services. `deploy_order` puts a service in a wave: lower first, the same number side
// by side; a config without one is in wave 1. Within a wave the given order is kept (the command line's, or the
// sorted paths of a glob), so the log and the summary list services the way the user named them.

export interface Ordered {
  deploy_order?: number | undefined;
}

/** The order a config says, or 1. */
export function orderOf(item: Ordered): number {
  return item.deploy_order ?? 1;
}

/** The waves, lowest order first; each holds its services in the given order. */
export function waves<T extends Ordered>(items: readonly T[]): T[][] {
  const byOrder = new Map<number, T[]>();
  for (const item of items) byOrder.set(orderOf(item), [...(byOrder.get(orderOf(item)) ?? []), item]);
  return [...byOrder.entries()].sort(([a], [b]) => a - b).map(([, wave]) => wave);
}
