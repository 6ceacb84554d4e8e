/** Baseline (b), configuration: keys from `syncthing generate`, then a config.xml written whole for loopback only. */
import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface Instance {
  name: 'a' | 'b';
  home: string;
  folder: string;
  id: string;
  listenPort: number;
  guiPort: number;
  apiKey: string;
  /** The port the other instance dials to reach this one: `listenPort`, or a delay proxy in front of it. */
  dialPort?: number;
}

/** `syncthing generate` for the keys (and the config version this build writes); returns the device ID. */
export async function generate(home: string): Promise<{ id: string; version: string }> {
  execFileSync('syncthing', ['generate', `--home=${home}`, '--no-default-folder', '--skip-port-probing'], { stdio: 'ignore', timeout: 60_000 });
  const out = execFileSync('syncthing', ['serve', `--home=${home}`, '--device-id'], { encoding: 'utf8', timeout: 60_000 });
  const id = /^[A-Z0-9]{7}(-[A-Z0-9]{7}){7}$/m.exec(out)?.[0];
  const version = /<configuration version="(\d+)"/.exec(await readFile(join(home, 'config.xml'), 'utf8'))?.[1];
  if (!id || !version) throw new Error(`syncthing generate: no device ID or config version in ${home}\n${out}`);
  return { id, version };
}

const device = (i: Instance) => `    <device id="${i.id}" name="bench-${i.name}" compression="metadata" introducer="false">
        <address>tcp://127.0.0.1:${i.dialPort ?? i.listenPort}</address>
        <paused>false</paused>
        <autoAcceptFolders>false</autoAcceptFolders>
    </device>`;

/**
 * One folder `bench` shared by the two devices (A send-only, B receive-only: the Mirror A → B of Quintet), B's copy
 * paused until the timed run starts; static addresses on 127.0.0.1; discovery, relays, NAT, STUN, upgrades,
 * usage and crash reporting off; GUI/REST on 127.0.0.1 with an API key; normal process priority.
 */
export async function writeConfig(self: Instance, peer: Instance, version: string): Promise<void> {
  const xml = `<configuration version="${version}">
    <folder id="bench" label="bench" path="${self.folder}" type="${self.name === 'a' ? 'sendonly' : 'receiveonly'}" rescanIntervalS="86400" fsWatcherEnabled="false" ignorePerms="false" autoNormalize="true">
        <filesystemType>basic</filesystemType>
        <device id="${self.id}"></device>
        <device id="${peer.id}"></device>
        <paused>${self.name === 'b'}</paused>
    </folder>
${device(self)}
${device(peer)}
    <gui enabled="true" tls="false" debugging="false">
        <address>127.0.0.1:${self.guiPort}</address>
        <apikey>${self.apiKey}</apikey>
    </gui>
    <options>
        <listenAddress>tcp://127.0.0.1:${self.listenPort}</listenAddress>
        <globalAnnounceEnabled>false</globalAnnounceEnabled>
        <localAnnounceEnabled>false</localAnnounceEnabled>
        <relaysEnabled>false</relaysEnabled>
        <natEnabled>false</natEnabled>
        <stunKeepaliveStartS>0</stunKeepaliveStartS>
        <stunServer></stunServer>
        <announceLANAddresses>false</announceLANAddresses>
        <startBrowser>false</startBrowser>
        <urAccepted>-1</urAccepted>
        <autoUpgradeIntervalH>0</autoUpgradeIntervalH>
        <crashReportingEnabled>false</crashReportingEnabled>
        <setLowPriority>false</setLowPriority>
        <reconnectionIntervalS>5</reconnectionIntervalS>
    </options>
</configuration>
`;
  await writeFile(join(self.home, 'config.xml'), xml);
}
