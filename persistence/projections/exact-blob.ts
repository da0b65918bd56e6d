import { Packr } from 'msgpackr';

/**
 * Values the read model keeps whole (a closed day's report, lending at a cut): msgpack with
 * bigints kept bigints, plain maps (no shared record structures, so the same value always
 * packs to the same bytes and a rebuild writes identical rows).
 */
const exactPackr = new Packr({ useRecords: false, useBigIntExtension: true, moreTypes: true });

export function packExact(value: unknown): Buffer {
  return exactPackr.pack(value);
}

export function unpackExact<T>(blob: Uint8Array): T {
  return exactPackr.unpack(blob) as T;
}
