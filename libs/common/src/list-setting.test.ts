import { describe, expect, it } from 'vitest';
import { splitListSetting } from './list-setting.ts';

describe('splitListSetting', () => {
  it('splits on the POSIX path separator and on commas', () => {
    expect(splitListSetting('/a:/b', ':')).toEqual(['/a', '/b']);
    expect(splitListSetting('/a,/b', ':')).toEqual(['/a', '/b']);
    expect(splitListSetting(' /a , /b:/c ', ':')).toEqual(['/a', '/b', '/c']);
  });

  it('splits on the Windows separator there, keeping drive letters whole', () => {
    expect(splitListSetting('C:\\data;D:\\more,E:\\x', ';')).toEqual(['C:\\data', 'D:\\more', 'E:\\x']);
  });

  it('drops blank items', () => {
    expect(splitListSetting('/a::,/b,', ':')).toEqual(['/a', '/b']);
    expect(splitListSetting('', ':')).toEqual([]);
  });

  it('uses the platform separator by default', () => {
    expect(splitListSetting('/a:/b')).toEqual(process.platform === 'win32' ? ['/a:/b'] : ['/a', '/b']);
  });
});
