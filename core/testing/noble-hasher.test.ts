import { hasherContract } from './hasher-contract.ts';
import { NobleHasher } from './noble-hasher.ts';

hasherContract('noble', () => new NobleHasher());
