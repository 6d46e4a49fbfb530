#!/usr/bin/env node
// An ML Metadata client that shares no code with Cairn: @grpc/grpc-js with @grpc/proto-loader, loading the project's
// ml_metadata .proto files at run time. It records a small workflow on the server given as host:port, reads it back
// (by id, by type name, by filter query, as a lineage subgraph), provokes three errors, and prints what it saw as one
// JSON object on stdout. Any unexpected failure is printed on stderr and exits non-zero.
'use strict';

const path = require('node:path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const target = process.argv[2];
if (!target) {
  process.stderr.write('usage: node mlmd-client.js HOST:PORT\n');
  process.exit(2);
}

const protos = path.resolve(__dirname, '..', '..', 'protos');
const definition = protoLoader.loadSync('ml_metadata/proto/metadata_store_service.proto', {
  includeDirs: [protos],
  keepCase: true, // MLMD's field names, as Python clients write them
  longs: String,
  enums: String,
  defaults: false,
  oneofs: true,
});
const mlmd = grpc.loadPackageDefinition(definition).ml_metadata;
const client = new mlmd.MetadataStoreService(target, grpc.credentials.createInsecure());

function call(method, request) {
  return new Promise((resolve, reject) => {
    const deadline = new Date(Date.now() + 30000);
    client[method](request, { deadline }, (error, response) => (error ? reject(error) : resolve(response)));
  });
}

// Calls that must fail: the gRPC status code and its name.
async function failure(method, request) {
  try {
    await call(method, request);
  } catch (error) {
    const name = Object.keys(grpc.status).find((key) => grpc.status[key] === error.code);
    return { code: error.code, name, details: error.details };
  }
  throw new Error(`${method} succeeded but was expected to fail`);
}

const ids = (list) => (list || []).map(Number);

async function main() {
  const suffix = `${process.pid}`;
  const artifactType = await call('PutArtifactType', {
    artifact_type: { name: `NodeDataSet${suffix}`, properties: { day: 'INT', split: 'STRING' } },
  });
  const executionType = await call('PutExecutionType', {
    execution_type: { name: `NodeTrainer${suffix}`, properties: { learning_rate: 'DOUBLE' } },
  });
  const artifactTypeId = artifactType.type_id;
  const executionTypeId = executionType.type_id;

  const putArtifacts = await call('PutArtifacts', {
    artifacts: [
      {
        type_id: artifactTypeId,
        uri: 's3://node/rows',
        properties: { day: { int_value: '20240501' }, split: { string_value: 'train' } },
        custom_properties: {
          // protobufjs defines the well-known types with camelCase fields, whatever keepCase says.
          stats: { struct_value: { fields: { rows: { numberValue: 1000 }, tags: { listValue: { values: [{ stringValue: 'a' }] } } } } },
          verified: { bool_value: true },
        },
        state: 'LIVE',
      },
      { type_id: artifactTypeId, uri: 's3://node/model', name: `model-${suffix}` },
    ],
  });
  const [rowsId, modelId] = putArtifacts.artifact_ids;

  const putExecutions = await call('PutExecutions', {
    executions: [{ type_id: executionTypeId, last_known_state: 'COMPLETE', properties: { learning_rate: { double_value: 0.001 } } }],
  });
  const [runId] = putExecutions.execution_ids;

  await call('PutEvents', {
    events: [
      { artifact_id: rowsId, execution_id: runId, type: 'INPUT', path: { steps: [{ key: 'examples' }, { index: '0' }] } },
      { artifact_id: modelId, execution_id: runId, type: 'OUTPUT', path: { steps: [{ key: 'model' }] } },
    ],
  });

  const byId = await call('GetArtifactsByID', { artifact_ids: [rowsId, modelId] });
  const rows = byId.artifacts.find((a) => a.id === rowsId);
  const typeByName = await call('GetArtifactType', { type_name: `NodeDataSet${suffix}` });
  const filtered = await call('GetArtifacts', {
    options: { filter_query: `type = 'NodeDataSet${suffix}' AND properties.split.string_value = 'train'` },
  });
  const events = await call('GetEventsByExecutionIDs', { execution_ids: [runId] });
  const lineage = await call('GetLineageSubgraph', {
    lineage_subgraph_query_options: {
      starting_artifacts: { filter_query: `id = ${rowsId}` },
      max_num_hops: '2',
      direction: 'DOWNSTREAM',
    },
  });

  const result = {
    artifact_type_id: Number(artifactTypeId),
    execution_type_id: Number(executionTypeId),
    artifact_ids: ids(putArtifacts.artifact_ids),
    execution_ids: ids(putExecutions.execution_ids),
    artifact: {
      id: Number(rows.id),
      type: rows.type,
      uri: rows.uri,
      state: rows.state,
      day: Number(rows.properties.day.int_value),
      split: rows.properties.split.string_value,
      stats_rows: rows.custom_properties.stats.struct_value.fields.rows.numberValue,
      stats_tags: rows.custom_properties.stats.struct_value.fields.tags.listValue.values.map((v) => v.stringValue),
      verified: rows.custom_properties.verified.bool_value,
    },
    type_by_name: { id: Number(typeByName.artifact_type.id), properties: typeByName.artifact_type.properties },
    filtered_ids: ids(filtered.artifacts.map((a) => a.id)),
    events: events.events.map((e) => ({
      artifact_id: Number(e.artifact_id),
      execution_id: Number(e.execution_id),
      type: e.type,
      path: (e.path && e.path.steps ? e.path.steps : []).map((s) => (s.key !== undefined ? s.key : Number(s.index))),
    })),
    lineage: {
      artifact_ids: ids(lineage.lineage_subgraph.artifacts.map((a) => a.id)),
      execution_ids: ids(lineage.lineage_subgraph.executions.map((e) => e.id)),
      events: (lineage.lineage_subgraph.events || []).length,
    },
    errors: {
      missing_type: await failure('GetArtifactType', { type_name: `NoSuchType${suffix}` }),
      bad_filter: await failure('GetArtifacts', { options: { filter_query: 'uri = ' } }),
      lineage_graph: await failure('GetLineageGraph', { options: { artifacts_options: { filter_query: 'id = 1' } } }),
    },
  };
  process.stdout.write(JSON.stringify(result) + '\n');
}

main()
  .then(() => client.close())
  .catch((error) => {
    process.stderr.write(`mlmd-client: ${error.stack || error}\n`);
    client.close();
    process.exit(1);
  });
