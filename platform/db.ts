import knex, { type Knex } from 'knex';
import pg from 'pg';

// BIGINT columns hold qəpik amounts well inside Number's safe range: read them as numbers.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export function connectDatabase(url: string, poolMax = 10): Knex {
  return knex({ client: 'pg', connection: url, pool: { min: 0, max: poolMax } });
}

/** `(?::a, ?::b), …` for `count` rows of a raw VALUES list with these column types (bindings row by row). */
export function valuesPlaceholders(count: number, types: readonly string[]): string {
  const row = `(${types.map((t) => `?::${t}`).join(', ')})`;
  return Array.from({ length: count }, () => row).join(', ');
}

export type { Knex };
