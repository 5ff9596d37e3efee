import { describe, expect, it } from 'vitest';
import { renderFeed, renderFeedWhole } from '../../api/calendar/feed';
import type { MeetingRow } from '../../api/calendar/service';

const row = (i: number, over: Partial<MeetingRow> = {}): MeetingRow =>
  ({
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    lawyer_id: 'lawyer-mammadov',
    bureau_id: 'bureau-1',
    title: `Məhkəmə iclası ${i} — Şəkərbəyli Ülviyyə Çingiz qızının işi üzrə, uzun başlıq ki, sətir bükülsün`,
    starts_at: new Date(Date.UTC(2027, 0, 1 + i, 6, 30)),
    ends_at: new Date(Date.UTC(2027, 0, 1 + i, 7, 30)),
    place: i % 2 ? 'Bakı Ağır Cinayətlər Məhkəməsi' : null,
    importance: (['high', 'normal', 'low'] as const)[i % 3],
    comment: i % 3 ? 'Şərh; vergül, nöqtəli vergül və\nyeni sətir' : null,
    reminders: i % 2 ? [{ id: 'r86400', beforeSeconds: 86400, email: true, sms: false }] : [],
    version: 1 + (i % 4),
    updated_at: new Date(Date.UTC(2026, 11, 1, 8, i)),
    ...over,
  }) as unknown as MeetingRow;

describe('the iCalendar feed, written from kept event texts (R8.4, issue 12)', () => {
  it('is byte for byte what ical-generator writes in one piece', () => {
    const rows = Array.from({ length: 12 }, (_, i) => row(i));
    expect(renderFeed('http://localhost:3000', rows)).toBe(renderFeedWhole('http://localhost:3000', rows));
    expect(renderFeed('http://localhost:3000', [])).toBe(renderFeedWhole('http://localhost:3000', []));
  });

  it('writes an edited meeting anew (its version and change time are the key), not the kept text', () => {
    const before = renderFeed('http://localhost:3000', [row(1)]);
    const edited = row(1, { title: 'Yeni başlıq', version: 9, updated_at: new Date(Date.UTC(2026, 11, 2)) });
    const after = renderFeed('http://localhost:3000', [edited]);
    expect(before).toContain('SEQUENCE:2');
    expect(after).toContain('SUMMARY:Yeni başlıq');
    expect(after).toContain('SEQUENCE:9');
    expect(after).toBe(renderFeedWhole('http://localhost:3000', [edited]));
  });
});
