// Dev stand-in for GitHub: the small GraphQL executor answers only what was selected, and fails like GitHub on what it cannot.

import { describe, expect, it } from 'vitest';
import { GqlFieldError, runGraphql, type GqlObject } from '../../src/dev/run-graphql.js';

function item(id: number): GqlObject {
  return { typename: 'Item', interfaces: ['Node'], fields: { id: () => `I${id}`, size: () => id * 10, tags: () => ['a', 'b'] } };
}

const roots: { query: GqlObject; mutation: GqlObject } = {
  query: {
    typename: 'Query',
    fields: {
      item: (args) => item(Number(args.id)),
      items: (args) => Array.from({ length: Number(args.count ?? 2) }, (_, i) => item(i + 1)),
      missing: () => {
        throw new GqlFieldError('Could not resolve to a node', 'NOT_FOUND');
      },
    },
  },
  mutation: { typename: 'Mutation', fields: { touch: (args) => item(Number((args.input as { id: number }).id)) } },
};

describe('runGraphql', () => {
  it('returns exactly the selected fields, under their aliases', () => {
    expect(runGraphql({ query: '{ first: item(id: 1) { id } second: item(id: 2) { id size __typename } }' }, roots)).toEqual({
      data: { first: { id: 'I1' }, second: { id: 'I2', size: 20, __typename: 'Item' } },
    });
  });

  it('applies named and inline fragments by type, and @include/@skip', () => {
    const query = `query Q($big: Boolean!) {
      items(count: 2) { ...Parts ... on Node { id } ... on Other { nope } size @include(if: $big) tags @skip(if: true) }
    }
    fragment Parts on Item { id }`;
    expect(runGraphql({ query, variables: { big: false } }, roots)).toEqual({ data: { items: [{ id: 'I1' }, { id: 'I2' }] } });
    expect(runGraphql({ query, variables: { big: true } }, roots)).toEqual({ data: { items: [{ id: 'I1', size: 10 }, { id: 'I2', size: 20 }] } });
  });

  it('substitutes variables inside input objects and runs mutations', () => {
    expect(runGraphql({ query: 'mutation($id: Int!) { touch(input: { id: $id }) { id } }', variables: { id: 5 } }, roots)).toEqual({
      data: { touch: { id: 'I5' } },
    });
  });

  it('fails like GitHub on undeclared or missing required variables, unknown fields and parse errors', () => {
    expect(runGraphql({ query: '{ item(id: $id) { id } }' }, roots)).toEqual({
      errors: [{ message: 'Variable $id is used by anonymous query but not declared' }],
    });
    expect(runGraphql({ query: 'query($id: Int!) { item(id: $id) { id } }', variables: {} }, roots).errors?.[0]?.message).toBe(
      'Variable $id of type Int! was provided invalid value',
    );
    expect(runGraphql({ query: '{ item(id: 1) { colour } }' }, roots)).toMatchObject({
      errors: [{ message: "Field 'colour' doesn't exist on type 'Item'", path: ['item', 'colour'], extensions: { code: 'undefinedField' } }],
    });
    expect(runGraphql({ query: '{ item(id: 1) }' }, roots).errors?.[0]?.message).toMatch(/must have selections/);
    expect(runGraphql({ query: '{ item(id: 1) { id ' }, roots).errors?.[0]?.message).toMatch(/^Parse error on end of file/);
    expect(runGraphql({ nope: true }, roots).errors?.[0]?.message).toMatch(/query attribute/);
  });

  it('turns a resolver error into a null field plus an error with its path', () => {
    expect(runGraphql({ query: '{ missing { id } item(id: 3) { id } }' }, roots)).toEqual({
      data: { missing: null, item: { id: 'I3' } },
      errors: [{ type: 'NOT_FOUND', path: ['missing'], locations: [{ line: 1, column: 3 }], message: 'Could not resolve to a node' }],
    });
  });
});
