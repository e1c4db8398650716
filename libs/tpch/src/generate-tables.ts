import { allocateColumns, finishChunk, type TableChunk } from './table-chunk.ts';
import { CURRENT_DATE, END_DATE, START_DATE } from './tpch-dates.ts';
import { LineCountStream, RowRandom } from './tpch-random.ts';
import { tpchCardinalities, type TpchTableName } from './tpch-schema.ts';
import { comment, phoneNumber, randomString } from './tpch-text.ts';
import {
  COLORS,
  CONTAINER_SYLLABLES,
  NATIONS,
  PRIORITIES,
  REGIONS,
  SEGMENTS,
  SHIP_INSTRUCTIONS,
  SHIP_MODES,
  TYPE_SYLLABLES,
} from './tpch-words.ts';

/**
 * The generator's units of work: a range of rows of the table that drives a group; parts
 * bring their four partsupp rows and orders their lineitems, as they depend on each other.
 */
export type TpchGroup = 'region' | 'nation' | 'supplier' | 'customer' | 'part' | 'orders';

export const GROUP_TABLES: Readonly<Record<TpchGroup, readonly TpchTableName[]>> = {
  region: ['region'],
  nation: ['nation'],
  supplier: ['supplier'],
  customer: ['customer'],
  part: ['part', 'partsupp'],
  orders: ['orders', 'lineitem'],
};

export interface GroupRange {
  readonly group: TpchGroup;
  readonly scaleFactor: number;
  /** First row (0-based) of the driving table, and one past the last. */
  readonly start: number;
  readonly end: number;
}

/** Rows of the table driving each group at a scale factor. */
export function groupRows(group: TpchGroup, scaleFactor: number): number {
  const n = tpchCardinalities(scaleFactor);
  switch (group) {
    case 'region':
      return REGIONS.length;
    case 'nation':
      return NATIONS.length;
    case 'supplier':
      return n.suppliers;
    case 'customer':
      return n.customers;
    case 'part':
      return n.parts;
    case 'orders':
      return n.orders;
  }
}

/** Stream numbers: each table's columns are drawn from its own seekable stream. */
const STREAM = {
  region: 1500869201,
  nation: 606179079,
  supplier: 1341315363,
  customer: 1489529863,
  part: 709314158,
  partsupp: 1961692154,
  orders: 276090261,
  lineitem: 209208115,
};

const pad9 = (n: number) => String(n).padStart(9, '0');

/** p_retailprice in cents (clause 4.2.3): (90000 + ((key/10) mod 20001) + 100 × (key mod 1000)) / 100. */
export function retailPriceCents(partKey: number): number {
  return 90_000 + (Math.floor(partKey / 10) % 20_001) + 100 * (partKey % 1000);
}

/** The `j`th (0..3) supplier of a part (clause 4.2.3, ps_suppkey). */
export function partSupplier(partKey: number, j: number, suppliers: number): number {
  return (
    ((partKey + j * (Math.floor(suppliers / 4) + Math.floor((partKey - 1) / suppliers))) % suppliers) + 1
  );
}

/** Order keys are sparse (clause 4.2.3): of each 32 keys only the first 8 are used. */
export function orderKey(index: number): number {
  const ordinal = index + 1;
  return Math.floor(ordinal / 8) * 32 + (ordinal % 8);
}

export function generateGroup(range: GroupRange): TableChunk[] {
  switch (range.group) {
    case 'region':
      return [generateRegion(range)];
    case 'nation':
      return [generateNation(range)];
    case 'supplier':
      return [generateSupplier(range)];
    case 'customer':
      return [generateCustomer(range)];
    case 'part':
      return generatePart(range);
    case 'orders':
      return generateOrders(range);
  }
}

function generateRegion({ start, end }: GroupRange): TableChunk {
  const random = new RowRandom(STREAM.region);
  const [key, name, text] = allocateColumns('region', end - start) as [Float64Array, string[], string[]];
  for (let i = start; i < end; i++) {
    random.seek(i);
    const r = i - start;
    key[r] = i;
    name[r] = REGIONS[i];
    text[r] = comment(random, 31, 115);
  }
  return finishChunk('region', [key, name, text], end - start);
}

function generateNation({ start, end }: GroupRange): TableChunk {
  const random = new RowRandom(STREAM.nation);
  const [key, name, region, text] = allocateColumns('nation', end - start) as [
    Float64Array,
    string[],
    Float64Array,
    string[],
  ];
  for (let i = start; i < end; i++) {
    random.seek(i);
    const r = i - start;
    key[r] = i;
    name[r] = NATIONS[i].name;
    region[r] = NATIONS[i].region;
    text[r] = comment(random, 31, 114);
  }
  return finishChunk('nation', [key, name, region, text], end - start);
}

/**
 * s_comment of about 10 suppliers in 10,000 carries "Customer … Complaints" (half of them)
 * or "Customer … Recommends" (clause 4.2.3), which Q16 looks for.
 */
function supplierComment(random: RowRandom): string {
  const text = comment(random, 25, 100);
  const press = random.int(1, 10_000);
  if (press > 10) return text;
  const tail = press <= 5 ? 'Complaints' : 'Recommends';
  const room = text.length - 'Customer '.length - tail.length;
  const filler = comment(random, 0, Math.max(0, room)).slice(0, Math.max(0, room));
  const injected = `Customer ${filler}${tail}`;
  const at = random.int(0, Math.max(0, text.length - injected.length));
  return text.slice(0, at) + injected + text.slice(at + injected.length);
}

function generateSupplier({ start, end }: GroupRange): TableChunk {
  const random = new RowRandom(STREAM.supplier);
  const columns = allocateColumns('supplier', end - start);
  const [key, name, address, nation, phone, balance, text] = columns as [
    Float64Array,
    string[],
    string[],
    Float64Array,
    string[],
    Float64Array,
    string[],
  ];
  for (let i = start; i < end; i++) {
    random.seek(i);
    const r = i - start;
    key[r] = i + 1;
    name[r] = `Supplier#${pad9(i + 1)}`;
    address[r] = randomString(random, 10, 40);
    nation[r] = random.int(0, 24);
    phone[r] = phoneNumber(random, nation[r]);
    balance[r] = random.int(-99_999, 999_999);
    text[r] = supplierComment(random);
  }
  return finishChunk('supplier', columns, end - start);
}

function generateCustomer({ start, end }: GroupRange): TableChunk {
  const random = new RowRandom(STREAM.customer);
  const columns = allocateColumns('customer', end - start);
  const [key, name, address, nation, phone, balance, segment, text] = columns as [
    Float64Array,
    string[],
    string[],
    Float64Array,
    string[],
    Float64Array,
    string[],
    string[],
  ];
  for (let i = start; i < end; i++) {
    random.seek(i);
    const r = i - start;
    key[r] = i + 1;
    name[r] = `Customer#${pad9(i + 1)}`;
    address[r] = randomString(random, 10, 40);
    nation[r] = random.int(0, 24);
    phone[r] = phoneNumber(random, nation[r]);
    balance[r] = random.int(-99_999, 999_999);
    segment[r] = random.pick(SEGMENTS);
    text[r] = comment(random, 29, 116);
  }
  return finishChunk('customer', columns, end - start);
}

/** Five distinct colour words (clause 4.2.3, p_name). */
function partName(random: RowRandom): string {
  const picked: number[] = [];
  while (picked.length < 5) {
    const c = Math.floor(random.next() * COLORS.length);
    if (!picked.includes(c)) picked.push(c);
  }
  return picked.map((c) => COLORS[c]).join(' ');
}

function generatePart({ start, end, scaleFactor }: GroupRange): TableChunk[] {
  const suppliers = tpchCardinalities(scaleFactor).suppliers;
  const random = new RowRandom(STREAM.part);
  const supplyRandom = new RowRandom(STREAM.partsupp);
  const count = end - start;
  const parts = allocateColumns('part', count);
  const [key, name, mfgr, brand, type, size, container, price, text] = parts as [
    Float64Array,
    string[],
    string[],
    string[],
    string[],
    Float64Array,
    string[],
    Float64Array,
    string[],
  ];
  const supplies = allocateColumns('partsupp', count * 4);
  const [psPart, psSupp, psQty, psCost, psText] = supplies as [
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
    string[],
  ];
  for (let i = start; i < end; i++) {
    random.seek(i);
    const r = i - start;
    const partKey = i + 1;
    key[r] = partKey;
    name[r] = partName(random);
    const m = random.int(1, 5);
    mfgr[r] = `Manufacturer#${m}`;
    brand[r] = `Brand#${m}${random.int(1, 5)}`;
    type[r] =
      `${random.pick(TYPE_SYLLABLES[0])} ${random.pick(TYPE_SYLLABLES[1])} ${random.pick(TYPE_SYLLABLES[2])}`;
    size[r] = random.int(1, 50);
    container[r] = `${random.pick(CONTAINER_SYLLABLES[0])} ${random.pick(CONTAINER_SYLLABLES[1])}`;
    price[r] = retailPriceCents(partKey);
    text[r] = comment(random, 5, 22);
    supplyRandom.seek(i);
    for (let j = 0; j < 4; j++) {
      const s = r * 4 + j;
      psPart[s] = partKey;
      psSupp[s] = partSupplier(partKey, j, suppliers);
      psQty[s] = supplyRandom.int(1, 9999);
      psCost[s] = supplyRandom.int(100, 100_000);
      psText[s] = comment(supplyRandom, 49, 198);
    }
  }
  return [finishChunk('part', parts, count), finishChunk('partsupp', supplies, count * 4)];
}

function generateOrders({ start, end, scaleFactor }: GroupRange): TableChunk[] {
  const n = tpchCardinalities(scaleFactor);
  const clerks = Math.max(1000, Math.floor(scaleFactor * 1000));
  const random = new RowRandom(STREAM.orders);
  const lineRandom = new RowRandom(STREAM.lineitem);
  const lineCounts = new LineCountStream(start);
  const count = end - start;
  const orders = allocateColumns('orders', count);
  const [oKey, oCust, oStatus, oTotal, oDate, oPriority, oClerk, oShipPriority, oText] = orders as [
    Float64Array,
    Float64Array,
    string[],
    Float64Array,
    Float64Array,
    string[],
    string[],
    Float64Array,
    string[],
  ];
  const lines = allocateColumns('lineitem', count * 7);
  const [lKey, lPart, lSupp, lNumber, lQty, lPrice, lDiscount, lTax, , , lShip, lCommit, lReceipt] =
    lines as Float64Array[];
  const [flag, status, , , , lInstruct, lMode, lText] = lines.slice(8) as string[][];
  let l = 0;
  for (let i = start; i < end; i++) {
    random.seek(i);
    const r = i - start;
    const key = orderKey(i);
    oKey[r] = key;
    // A third of the customers place no orders (clause 4.2.3): keys divisible by 3 are skipped.
    let customer = random.int(1, n.customers);
    let delta = 1;
    while (customer % 3 === 0) {
      customer = Math.min(customer + delta, n.customers);
      delta = -delta;
    }
    oCust[r] = customer;
    const orderDate = random.int(START_DATE, END_DATE - 151);
    oDate[r] = orderDate;
    oPriority[r] = random.pick(PRIORITIES);
    oClerk[r] = `Clerk#${pad9(random.int(1, clerks))}`;
    oShipPriority[r] = 0;
    oText[r] = comment(random, 19, 78);

    lineRandom.seek(i);
    const lineCount = lineCounts.next();
    let total = 0;
    let shipped = 0;
    for (let j = 1; j <= lineCount; j++, l++) {
      const partKey = lineRandom.int(1, n.parts);
      const quantity = lineRandom.int(1, 50);
      const discount = lineRandom.int(0, 10);
      const tax = lineRandom.int(0, 8);
      const extended = quantity * retailPriceCents(partKey);
      const shipDate = orderDate + lineRandom.int(1, 121);
      const receiptDate = shipDate + lineRandom.int(1, 30);
      lKey[l] = key;
      lPart[l] = partKey;
      lSupp[l] = partSupplier(partKey, lineRandom.int(0, 3), n.suppliers);
      lNumber[l] = j;
      lQty[l] = quantity * 100;
      lPrice[l] = extended;
      lDiscount[l] = discount;
      lTax[l] = tax;
      lShip[l] = shipDate;
      lCommit[l] = orderDate + lineRandom.int(30, 90);
      lReceipt[l] = receiptDate;
      flag[l] = receiptDate <= CURRENT_DATE ? (lineRandom.next() < 0.5 ? 'R' : 'A') : 'N';
      const isOpen = shipDate > CURRENT_DATE;
      status[l] = isOpen ? 'O' : 'F';
      if (!isOpen) shipped++;
      lInstruct[l] = lineRandom.pick(SHIP_INSTRUCTIONS);
      lMode[l] = lineRandom.pick(SHIP_MODES);
      lText[l] = comment(lineRandom, 10, 43);
      // o_totalprice = sum(l_extendedprice × (1 − l_discount) × (1 + l_tax)), each line to the cent.
      total += Math.round((extended * (100 - discount) * (100 + tax)) / 10_000);
    }
    oTotal[r] = total;
    oStatus[r] = shipped === lineCount ? 'F' : shipped === 0 ? 'O' : 'P';
  }
  return [finishChunk('orders', orders, count), finishChunk('lineitem', lines, l)];
}
