import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A small deterministic PRNG (mulberry32) so the demo data is the same on every machine. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CITIES = [
  'Amsterdam',
  'Berlin',
  'Chicago',
  'Delhi',
  'Lagos',
  'Lima',
  'Osaka',
  'Oslo',
  'Paris',
  'Sydney',
];
const CATEGORIES = ['books', 'garden', 'kitchen', 'music', 'outdoor', 'toys'];

function iso(days: number): string {
  return new Date(Date.UTC(2024, 0, 1) + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Writes the demo dataset (customers, products, orders as CSV) into `folder`: small enough
 * to create instantly, shaped so joins and aggregates have something to show.
 */
export function writeDemoData(folder: string, orderCount = 20_000): void {
  mkdirSync(folder, { recursive: true });
  const next = random(42);
  const customers = ['customer_id,name,city,signup_date'];
  for (let id = 1; id <= 500; id++) {
    customers.push(
      `${id},Customer ${id},${CITIES[Math.floor(next() * CITIES.length)]},${iso(Math.floor(next() * 365) - 365)}`,
    );
  }
  const products = ['product_id,name,category,price'];
  const prices: number[] = [];
  for (let id = 1; id <= 200; id++) {
    const price = Math.round((2 + next() * 198) * 100) / 100;
    prices.push(price);
    products.push(
      `${id},Product ${id},${CATEGORIES[Math.floor(next() * CATEGORIES.length)]},${price.toFixed(2)}`,
    );
  }
  const orders = ['order_id,customer_id,product_id,quantity,amount,order_date,status'];
  for (let id = 1; id <= orderCount; id++) {
    const product = 1 + Math.floor(next() * prices.length);
    const quantity = 1 + Math.floor(next() * 5);
    const status = next() < 0.9 ? 'shipped' : 'returned';
    orders.push(
      `${id},${1 + Math.floor(next() * 500)},${product},${quantity},${(prices[product - 1] * quantity).toFixed(2)},${iso(Math.floor(next() * 366))},${status}`,
    );
  }
  writeFileSync(join(folder, 'customers.csv'), customers.join('\n') + '\n');
  writeFileSync(join(folder, 'products.csv'), products.join('\n') + '\n');
  writeFileSync(join(folder, 'orders.csv'), orders.join('\n') + '\n');
}
