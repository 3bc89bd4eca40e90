export * from './alloc-large-system-hash';
export * from './boot-memory';
export * from './e820-layout';
export * from './memblock-reservations';
export * from './nr-kernel-pages';
export * from './watermarks';
export * from './zone-layout';
export * from './zone-names';
