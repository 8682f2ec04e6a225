// Saves never replace what is not a regular file (issue 15, finding 1): a
// device node, FIFO, socket, directory or symbolic link at the destination is
// refused with an error naming it and left as it was; a file that is
// replaced keeps its mode and owner; names up to NAME_MAX work.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { Model, writeFileAtomic } from '../lib';

let dir: string;
beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deepnet-atomic-')); });
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const isRoot = process.getuid?.() === 0;
const model = () => new Model({ layers: [3, 2, 1] });
/** The directory's entries other than `keep`: a failed or finished save leaves no temporary file. */
const leftovers = (...keep: string[]) => fs.readdirSync(dir).filter((f) => !keep.includes(f));

describe('a destination that is not a regular file is refused and left alone', () => {
  test('a character device (as root: a node like /dev/null, made here with mknod)', () => {
    // Without root, mknod is not allowed; /dev/null itself is then the device (and saving
    // there could not replace it anyway, but the refusal must still come first).
    const device = isRoot ? path.join(dir, 'null') : '/dev/null';
    if (isRoot) execFileSync('mknod', [device, 'c', '1', '3']);
    expect(() => model().save(device)).toThrow(`Model.save: ${device} is a character device, not a regular file; refusing to replace it`);
    expect(fs.lstatSync(device).isCharacterDevice()).toBe(true);
    expect(() => writeFileAtomic(device, 'x', 'predict --out')).toThrow(`predict --out: ${device} is a character device`);
    expect(fs.lstatSync(device).isCharacterDevice()).toBe(true);
    if (isRoot) expect(leftovers('null')).toEqual([]);
  });

  test('a FIFO, also as a checkpoint path (refused before training starts)', async () => {
    const fifo = path.join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    expect(() => model().save(fifo)).toThrow(/Model\.save: .*fifo is a FIFO \(named pipe\), not a regular file/);
    const X = { shape: [3, 4] as [number, number], data: new Float64Array(12) };
    const Y = { shape: [1, 4] as [number, number], data: new Float64Array([0, 1, 0, 1]) };
    let progress = 0;
    const opts = { iterations: 10, checkpoint: { path: fifo, every: 5 }, logEvery: 5, onProgress: () => { progress++; } };
    expect(() => model().fitSync(X, Y, opts)).toThrow(/Model\.fitSync: .*fifo is a FIFO/);
    await expect(model().fit(X, Y, opts)).rejects.toThrow(/Model\.fit: .*fifo is a FIFO/);
    expect(progress).toBe(0);
    expect(fs.lstatSync(fifo).isFIFO()).toBe(true);
  });

  test('a socket, a directory and a symbolic link', async () => {
    const socket = path.join(dir, 'sock');
    const server = net.createServer().listen(socket);
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      expect(() => model().save(socket)).toThrow(`Model.save: ${socket} is a socket, not a regular file`);
      expect(fs.lstatSync(socket).isSocket()).toBe(true);
    } finally {
      server.close();
    }
    const sub = path.join(dir, 'sub');
    fs.mkdirSync(sub);
    expect(() => model().save(sub)).toThrow(`Model.save: ${sub} is a directory, not a regular file`);
    const target = path.join(dir, 'target.txt');
    fs.writeFileSync(target, 'keep me');
    const link = path.join(dir, 'link');
    fs.symlinkSync(target, link);
    expect(() => writeFileAtomic(link, 'new')).toThrow(`writeFileAtomic: ${link} is a symbolic link, not a regular file; ` +
      'refusing to replace it (save to a regular file path, e.g. the path the link points to)');
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(target, 'utf8')).toBe('keep me');
    expect(leftovers('sub', 'target.txt', 'link')).toEqual([]);
  });
});

describe('a replaced file keeps what the user set', () => {
  test.each(['600', '640', '604'])('mode %s is kept by Model.save and writeFileAtomic', (octal) => {
    const mode = parseInt(octal, 8);
    const file = path.join(dir, 'model.safetensors');
    fs.writeFileSync(file, 'old');
    fs.chmodSync(file, mode);
    model().save(file);
    expect((fs.statSync(file).mode & 0o7777).toString(8)).toBe(octal);
    expect(Model.load(file).layers).toEqual([3, 2, 1]);
    writeFileAtomic(file, Buffer.from('bytes'));
    expect((fs.statSync(file).mode & 0o7777).toString(8)).toBe(octal);
    expect(fs.readFileSync(file, 'utf8')).toBe('bytes');
    expect(leftovers('model.safetensors')).toEqual([]);
  });

  test('a new file gets the usual mode (0666 minus the umask)', () => {
    const file = path.join(dir, 'new.txt');
    writeFileAtomic(file, 'text');
    const umask = process.umask();
    expect((fs.statSync(file).mode & 0o777).toString(8)).toBe((0o666 & ~umask).toString(8));
    expect(fs.readFileSync(file, 'utf8')).toBe('text');
  });

  test('the owner is kept where the process may set it (root)', () => {
    const file = path.join(dir, 'owned.safetensors');
    fs.writeFileSync(file, 'old');
    // As root: another owner and group, which the save keeps. Otherwise our own (all we may set).
    const [uid, gid] = isRoot ? [4321, 4322] : [process.getuid!(), process.getgid!()];
    fs.chownSync(file, uid, gid);
    model().save(file);
    const st = fs.statSync(file);
    expect([st.uid, st.gid]).toEqual([uid, gid]);
  });
});

describe('file names', () => {
  test('a name of 250 bytes (NAME_MAX is 255) saves and loads: the temporary name stays short', () => {
    const file = path.join(dir, `${'m'.repeat(238)}.safetensors`);
    expect(Buffer.byteLength(path.basename(file))).toBe(250);
    model().save(file);
    expect(Model.load(file).layers).toEqual([3, 2, 1]);
    const multibyte = path.join(dir, `${'é'.repeat(120)}.txt`);  // 244 bytes in UTF-8
    writeFileAtomic(multibyte, 'ok');
    expect(fs.readFileSync(multibyte, 'utf8')).toBe('ok');
    expect(leftovers(path.basename(file), path.basename(multibyte))).toEqual([]);
  });

  test('a name longer than NAME_MAX and a missing directory give errors naming the path', () => {
    const long = path.join(dir, 'x'.repeat(300));
    expect(() => writeFileAtomic(long, 'x', 'Model.save')).toThrow(`Model.save: cannot write ${long}: ENAMETOOLONG`);
    const missing = path.join(dir, 'no', 'such', 'dir', 'm.safetensors');
    expect(() => model().save(missing)).toThrow(`Model.save: cannot write ${missing}: ENOENT`);
    expect(leftovers()).toEqual([]);
  });

  test('bad arguments name the function and the argument', () => {
    expect(() => writeFileAtomic('', 'x')).toThrow("writeFileAtomic: file must be a non-empty path string; received the string \"\"");
    expect(() => writeFileAtomic(path.join(dir, 'f'), 5 as never)).toThrow('writeFileAtomic: data must be a string or a Uint8Array; received the number 5');
  });
});
