import { EventHeap } from './event-heap';

describe('EventHeap', () => {
  it('pops events in time order, and events at the same time in the order they were pushed', () => {
    const heap = new EventHeap<{ time: number; seq: number; name: string }>();
    const times = [50, 10, 30, 10, 20, 50, 0, 30];
    times.forEach((time, seq) => heap.push({ time, seq, name: `e${seq}` }));
    const order: string[] = [];
    for (let event = heap.pop(); event !== undefined; event = heap.pop()) order.push(event.name);
    expect(order).toEqual(['e6', 'e1', 'e3', 'e4', 'e2', 'e7', 'e0', 'e5']);
    expect(heap.size).toBe(0);
  });

  it('sorts a large shuffled input like Array.prototype.sort', () => {
    const heap = new EventHeap<{ time: number; seq: number }>();
    const items = Array.from({ length: 2000 }, (_, seq) => ({ time: (seq * 7919) % 1000, seq }));
    items.forEach((item) => heap.push(item));
    const popped = items.map(() => heap.pop());
    const sorted = [...items].sort((a, b) => a.time - b.time || a.seq - b.seq);
    expect(popped).toEqual(sorted);
  });
});
