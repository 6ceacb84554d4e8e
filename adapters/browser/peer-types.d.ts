/** Types for the part of @thaunknown/simple-peer (lite build) that peer-transport.ts uses; the package ships none. */
declare module '@thaunknown/simple-peer/lite.js' {
  interface PeerOptions {
    initiator?: boolean;
    trickle?: boolean;
    config?: RTCConfiguration;
  }
  export default class Peer {
    constructor(options?: PeerOptions);
    signal(data: object): void;
    send(data: Uint8Array | string): void;
    destroy(error?: Error): void;
    on(event: 'signal', handler: (data: unknown) => void): this;
    on(event: 'connect' | 'close' | 'disconnect', handler: () => void): this;
    on(event: 'data', handler: (data: Uint8Array) => void): this;
    on(event: 'error', handler: (error: Error) => void): this;
  }
}
