import { tsImport } from 'tsx/esm/api';
const { startNodeServer } = await tsImport('../signaling/node-server.ts', import.meta.url);
const { readConfig } = await tsImport('../signaling/config.ts', import.meta.url);
const s = await startNodeServer({ config: readConfig({}), port: 38123, staticRoot: null });
console.log('up', s.url);
