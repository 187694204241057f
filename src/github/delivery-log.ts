// GitHub way in: which webhook deliveries were already taken (GitHub redelivers; a delivery is acted on once).

/** Remembers delivery ids; `firstTime` is an atomic check-and-record. */
export interface DeliveryLog {
  /** True the first time an id is seen, false for every repeat. */
  firstTime(deliveryId: string): Promise<boolean>;
}

/**
 * In-process log of the most recent deliveries (bounded). Enough for one server; replicas share a
 * store-backed log instead (the same interface).
 */
export class MemoryDeliveryLog implements DeliveryLog {
  private readonly seen = new Set<string>();

  constructor(private readonly capacity = 10_000) {}

  async firstTime(deliveryId: string): Promise<boolean> {
    if (this.seen.has(deliveryId)) return false;
    this.seen.add(deliveryId);
    if (this.seen.size > this.capacity) {
      const oldest = this.seen.values().next().value;
      if (oldest !== undefined) this.seen.delete(oldest);
    }
    return true;
  }
}

/** Delivery ids in the shared store: every replica sees the same log. */
export class StoreDeliveryLog implements DeliveryLog {
  constructor(private readonly store: { firstDelivery(id: string): Promise<boolean> }) {}

  firstTime(deliveryId: string): Promise<boolean> {
    return this.store.firstDelivery(deliveryId);
  }
}
