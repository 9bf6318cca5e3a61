// Drives every everyday call of Qdrant's official JS client (@qdrant/js-client-rest) against a
// vdb server and prints one JSON report: for each call, its result or its error. The Java side
// (QdrantClientTest) starts the server, runs this, and checks the report against the Java API.
// Usage: node qdrant-client-calls.mjs <url> <api-key> <points.json> <server data directory>
import { QdrantClient } from '@qdrant/js-client-rest';
import { readFileSync } from 'node:fs';

const [url, apiKey, pointsFile, dataDir] = process.argv.slice(2);
const client = new QdrantClient({ url, apiKey, checkCompatibility: false });
const points = JSON.parse(readFileSync(pointsFile, 'utf8'));
const report = {};

async function call(name, f) {
  try {
    report[name] = { ok: true, result: await f() };
  } catch (e) {
    report[name] = { ok: false, status: e.status ?? null, error: e.data?.status?.error ?? String(e) };
  }
}

const C = 'qc';          // kept to the end: the Java side checks its final state
const D = 'qc-scratch';  // deleted along the way
const vector = (id) => points.find((p) => p.id === id).vector;

// collections
await call('versionInfo', () => client.versionInfo());
await call('createCollection', () => client.createCollection(C, { vectors: { size: 4, distance: 'Cosine' } }));
await call('createCollection scratch', () => client.createCollection(D, { vectors: { size: 4, distance: 'Cosine' } }));
await call('getCollections', () => client.getCollections());
await call('collectionExists', () => client.collectionExists(C));
await call('collectionExists missing', () => client.collectionExists('no-such'));
await call('updateCollection', () => client.updateCollection(C, { hnsw_config: { m: 16, ef_construct: 100 } }));
await call('createPayloadIndex', () => client.createPayloadIndex(C, { field_name: 'rank', field_schema: 'integer', wait: true }));
await call('createPayloadIndex dropped', () => client.createPayloadIndex(C, { field_name: 'colour', field_schema: 'keyword', wait: true }));
await call('deletePayloadIndex', () => client.deletePayloadIndex(C, 'colour', { wait: true }));
await call('getAliases', () => client.getAliases());
await call('getCollectionAliases', () => client.getCollectionAliases(C));
// Qdrant's memory-saving layout as its documentation writes it: codes in RAM, originals on disk
await call('createCollection on disk', () => client.createCollection('qc-disk', {
  vectors: { size: 4, distance: 'Dot', on_disk: true, datatype: 'float32' },
  quantization_config: { scalar: { type: 'int8', quantile: 0.99, always_ram: true } },
  hnsw_config: { m: 12, on_disk: false, full_scan_threshold: 10000 },
  on_disk_payload: true,
}));
await call('getCollection on disk', () => client.getCollection('qc-disk'));
// one named vector, as Qdrant's MCP server and hybrid apps create and use it
await call('createCollection named', () => client.createCollection('qc-named', {
  vectors: { dense: { size: 4, distance: 'Cosine' } } }));
await call('upsert named', () => client.upsert('qc-named', { wait: true,
  points: points.slice(0, 10).map((p) => ({ id: p.id, vector: { dense: p.vector }, payload: p.payload })) }));
await call('query named', () => client.query('qc-named', {
  query: vector(3), using: 'dense', limit: 3, with_vector: true, params: { exact: true } }));
await call('retrieve named', () => client.retrieve('qc-named', { ids: [4], with_vector: ['dense'] }));
await call('createCollection batch', () => client.createCollection('qc-batch', { vectors: { size: 4, distance: 'Dot' } }));
await call('batchUpdate', () => client.batchUpdate('qc-batch', { wait: true, operations: [
  { upsert: { points: points.slice(0, 3) } },
  { set_payload: { payload: { reviewed: true }, points: [0, 1] } },
  { delete: { points: [2] } },
] }));

// Qdrant's other conditions, with a datetime index
await call('createCollection when', () => client.createCollection('qc-when', { vectors: { size: 4, distance: 'Dot' } }));
await call('createPayloadIndex datetime', () => client.createPayloadIndex('qc-when', {
  field_name: 'at', field_schema: 'datetime', wait: true }));
await call('createPayloadIndex geo', () => client.createPayloadIndex('qc-when', {
  field_name: 'place', field_schema: 'geo', wait: true }));
await call('upsert when', () => client.upsert('qc-when', { wait: true,
  points: points.slice(0, 20).map((p, i) => ({ id: p.id, vector: p.vector, payload: {
    at: `2024-05-${String(1 + i).padStart(2, '0')}T${String(i % 24).padStart(2, '0')}:00:00${i % 2 ? 'Z' : '+02:00'}`,
    tags: Array.from({ length: i % 4 }, (_, j) => `t${j}`),
    diet: [{ food: i % 3 ? 'leaves' : 'meat', likes: i % 2 === 0 }, { food: 'fish', likes: i % 5 === 0 }],
    place: { lat: 50 + i * 0.1, lon: 10 - i * 0.2 },
  } })) }));
const whenFilters = {
  'count datetime': { must: [{ key: 'at', range: { gte: '2024-05-04T00:00:00Z', lt: '2024-05-12 06:30' } }] },
  'count values_count': { must: [{ key: 'tags', values_count: { gte: 2 } }] },
  'count nested': { must: [{ nested: { key: 'diet', filter: { must: [
    { key: 'food', match: { value: 'meat' } }, { key: 'likes', match: { value: true } }] } } }] },
  'count min_should': { min_should: { min_count: 2, conditions: [
    { key: 'tags', values_count: { lt: 2 } }, { key: 'diet[].likes', match: { value: true } },
    { key: 'at', range: { lte: '2024-05-10' } }] } },
  'count geo_radius': { must: [{ key: 'place', geo_radius: { center: { lat: 50.5, lon: 9 }, radius: 60000 } }] },
  'count geo_bounding_box': { must: [{ key: 'place', geo_bounding_box: {
    top_left: { lat: 51.05, lon: 7 }, bottom_right: { lat: 50.25, lon: 10 } } }] },
  'count geo_polygon': { must: [{ key: 'place', geo_polygon: { exterior: { points: [
    { lat: 50, lon: 6 }, { lat: 52, lon: 6 }, { lat: 52, lon: 8 }, { lat: 50, lon: 10.5 }, { lat: 50, lon: 6 }] } } }] },
};
for (const [name, filter] of Object.entries(whenFilters)) {
  await call(name, () => client.count('qc-when', { filter, exact: true }));
}
await call('scroll order_by datetime', () => client.scroll('qc-when', {
  limit: 3, order_by: { key: 'at', direction: 'desc', start_from: '2024-05-15T00:00:00Z' } }));

// aliases: one created, a collection reached through it, then switched to another in one call
await call('updateCollectionAliases', () => client.updateCollectionAliases({ actions: [
  { create_alias: { collection_name: 'qc-when', alias_name: 'qc-live' } }] }));
await call('getAliases after create', () => client.getAliases());
await call('count via alias', () => client.count('qc-live', { exact: true }));
await call('updateCollectionAliases switch', () => client.updateCollectionAliases({ actions: [
  { delete_alias: { alias_name: 'qc-live' } },
  { create_alias: { collection_name: 'qc-named', alias_name: 'qc-live' } }] }));
await call('count via switched alias', () => client.count('qc-live', { exact: true }));
await call('getCollectionAliases after switch', () => client.getCollectionAliases('qc-named'));

// points: upsert in both forms
const half = points.length / 2;
await call('upsert points', () => client.upsert(C, { wait: true, points: points.slice(0, half) }));
await call('upsert batch', () => client.upsert(C, {
  wait: true,
  batch: {
    ids: points.slice(half).map((p) => p.id),
    vectors: points.slice(half).map((p) => p.vector),
    payloads: points.slice(half).map((p) => p.payload),
  },
}));
await call('upsert scratch', () => client.upsert(D, { wait: true, points }));

// payload and vector updates
await call('setPayload', () => client.setPayload(C, { payload: { reviewed: true }, points: [1, 2, 3], wait: true }));
await call('overwritePayload', () => client.overwritePayload(C, {
  payload: { colour: 'blue', rank: 100 }, filter: { must: [{ key: 'rank', match: { value: 4 } }] }, wait: true }));
await call('deletePayload', () => client.deletePayload(C, { keys: ['colour'], points: [5, 6], wait: true }));
await call('clearPayload', () => client.clearPayload(C, { points: [7], wait: true }));
await call('updateVectors', () => client.updateVectors(C, { points: [{ id: 8, vector: [0.5, -0.5, 0.25, 1] }], wait: true }));
await call('deleteVectors', () => client.deleteVectors(C, { points: [9], vector: [''], wait: true }));

// reads of the final state
await call('getCollection', () => client.getCollection(C));
await call('retrieve', () => client.retrieve(C, { ids: [1, 4, 8, 999], with_payload: ['rank', 'reviewed'], with_vector: true }));
await call('retrieve exclude', () => client.retrieve(C, { ids: [1, 2], with_payload: { exclude: ['colour'] } }));
await call('scroll', () => client.scroll(C, {
  filter: { must: [{ key: 'colour', match: { any: ['red', 'green'] } }] }, limit: 5, offset: 3, with_payload: true }));
await call('scroll order_by', () => client.scroll(C, { limit: 4, order_by: { key: 'rank', direction: 'desc' } }));
await call('count', () => client.count(C, { filter: { must: [{ key: 'colour', match: { value: 'red' } }] }, exact: true }));
await call('search', () => client.search(C, {
  vector: vector(10), limit: 5, score_threshold: 0.5, with_payload: true, params: { exact: true } }));
await call('searchBatch', () => client.searchBatch(C, { searches: [
  { vector: vector(11), limit: 3, params: { exact: true } },
  { vector: vector(12), limit: 4, filter: { must: [{ key: 'colour', match: { value: 'green' } }] }, params: { exact: true } },
] }));
await call('recommend', () => client.recommend(C, { positive: [10, 11], negative: [12], limit: 5, params: { exact: true } }));
await call('recommendBatch', () => client.recommendBatch(C, { searches: [
  { positive: [13], limit: 3, params: { exact: true } },
  { positive: [vector(14)], negative: [15], limit: 3, params: { exact: true } },
] }));
await call('query vector', () => client.query(C, { query: vector(16), limit: 5, params: { exact: true }, with_payload: true }));
await call('query id', () => client.query(C, { query: 17, limit: 5, params: { exact: true } }));
await call('query rrf', () => client.query(C, {
  prefetch: [{ query: vector(18), limit: 10 }, { query: 'supersonic flow', using: 'text', limit: 10 }],
  query: { fusion: 'rrf' }, limit: 5 }));
await call('query dbsf', () => client.query(C, {
  prefetch: [{ query: vector(19), limit: 10, params: { exact: true } }, { query: vector(20), limit: 10, params: { exact: true } }],
  query: { fusion: 'dbsf' }, limit: 5 }));
await call('query order_by', () => client.query(C, {
  query: { order_by: { key: 'rank', direction: 'desc' } }, filter: { must: [{ key: 'colour', match: { value: 'green' } }] },
  limit: 5, with_payload: ['rank'] }));
await call('query mmr', () => client.query(C, {
  query: { nearest: vector(26), mmr: { diversity: 0.6, candidates_limit: 20 } }, limit: 5, params: { exact: true } }));
await call('query formula', () => client.query(C, {
  prefetch: { query: vector(27), limit: 20, params: { exact: true } },
  query: { formula: { sum: ['$score', { mult: [0.25, { key: 'colour', match: { value: 'red' } }] },
    { mult: [-0.001, { abs: 'rank' }] }] }, defaults: { rank: 0 } },
  limit: 5 }));
await call('queryBatch', () => client.queryBatch(C, { searches: [
  { query: vector(21), limit: 3, params: { exact: true } },
  { query: { recommend: { positive: [22], negative: [23] } }, limit: 3, params: { exact: true } },
] }));
await call('searchPointGroups', () => client.searchPointGroups(C, {
  vector: vector(24), group_by: 'colour', group_size: 2, limit: 3, params: { exact: true } }));
await call('queryGroups', () => client.queryGroups(C, {
  query: vector(25), group_by: 'rank', group_size: 3, limit: 4, with_payload: ['rank'], params: { exact: true } }));
await call('facet', () => client.facet(C, {
  key: 'rank', filter: { must_not: [{ key: 'colour', match: { value: 'red' } }] }, limit: 4, exact: true }));

// deletes, on the scratch collection
// snapshots: of the scratch collection before its deletes, recovered into another collection
await call('createSnapshot', () => client.createSnapshot(D, { wait: true }));
await call('listSnapshots', () => client.listSnapshots(D));
const snapshot = report['createSnapshot'].result?.name;
await call('recoverSnapshot', () => client.recoverSnapshot('qc-restored', {
  location: `file://${dataDir}/snapshots/${D}/${snapshot}`, checksum: report['createSnapshot'].result?.checksum }));
await call('deleteSnapshot', () => client.deleteSnapshot(D, snapshot));
await call('createFullSnapshot', () => client.createFullSnapshot());
await call('listFullSnapshots', () => client.listFullSnapshots());
await call('deleteFullSnapshot', () => client.deleteFullSnapshot(report['createFullSnapshot'].result?.name));
await call('listSnapshots after delete', () => client.listSnapshots(D));
await call('delete ids', () => client.delete(D, { points: [0, 1, 2], wait: true }));
await call('delete filter', () => client.delete(D, { filter: { must: [{ key: 'colour', match: { value: 'red' } }] }, wait: true }));
await call('count scratch', () => client.count(D, { exact: true }));
await call('deleteCollection', () => client.deleteCollection(D));
await call('deleteCollection again', () => client.deleteCollection(D));
await call('collectionExists deleted', () => client.collectionExists(D));

process.stdout.write(JSON.stringify(report));
