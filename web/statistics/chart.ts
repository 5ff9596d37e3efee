/**
 * A figure as a chart drawn on the server (R3.2): ECharts' server-side SVG, readable without
 * JavaScript — a title, axis names and each bar's value written on it — with role="img", an
 * aria-label and a <title> that say the numbers are in the table beside it. Categories are
 * horizontal bars (long institution and court names stay readable on a phone); periods are columns.
 * ECharts escapes the text it writes into the SVG. It is loaded at the first chart, not when the
 * server starts (a second of start-up on a busy machine).
 */
import type { Figure } from '../../api/statistics/service';

const WIDTH = 640;
const COLOR = '#1f5f8b';

const escapeXml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The chart's value of a row: the first measure, money in manat. */
function charted(figure: Figure): { labels: string[]; values: number[] } {
  const money = figure.columns[1].kind === 'qepik';
  return { labels: figure.rows.map((r) => r.label), values: figure.rows.map((r) => (money ? r.values[0] / 100 : r.values[0])) };
}

/** The SVG of a figure, or undefined when it has no rows to draw. */
export async function figureSvg(figure: Figure, accessibleLabel: string): Promise<string | undefined> {
  if (figure.rows.length === 0) return undefined;
  const echarts = await import('echarts');
  const { labels, values } = charted(figure);
  const byPeriod = figure.columns[0].key === 'key' && /_by_period$/.test(figure.id);
  const valueAxisName = figure.columns[1].label;
  const height = byPeriod ? 320 : Math.max(180, 90 + labels.length * 30);
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: WIDTH, height });
  try {
    const valueAxis = { type: 'value' as const, name: valueAxisName, nameLocation: 'middle' as const, nameGap: 28, minInterval: 1 };
    const categoryAxis = {
      type: 'category' as const,
      data: labels,
      name: figure.columns[0].label,
      axisLabel: byPeriod ? { rotate: labels.length > 8 ? 45 : 0, interval: 0 } : { width: 190, overflow: 'truncate' as const, interval: 0 },
    };
    chart.setOption({
      animation: false,
      title: { text: figure.title, left: 'center', textStyle: { fontSize: 15 } },
      grid: byPeriod ? { left: 56, right: 24, top: 56, bottom: labels.length > 8 ? 80 : 56 } : { left: 210, right: 56, top: 56, bottom: 48 },
      xAxis: byPeriod ? { ...categoryAxis, nameLocation: 'middle', nameGap: labels.length > 8 ? 62 : 32 } : valueAxis,
      yAxis: byPeriod ? { ...valueAxis, nameGap: 40 } : { ...categoryAxis, inverse: true, nameLocation: 'start' },
      series: [
        {
          type: 'bar',
          data: values,
          itemStyle: { color: COLOR },
          label: { show: true, position: byPeriod ? 'top' : 'right', color: '#222' },
          barMaxWidth: 36,
        },
      ],
    });
    const svg = chart.renderToSVGString();
    const label = escapeXml(accessibleLabel);
    return svg.replace(/^<svg /, `<svg role="img" aria-label="${label}" focusable="false" `).replace(/^(<svg[^>]*>)/, `$1<title>${label}</title>`);
  } finally {
    chart.dispose();
  }
}
