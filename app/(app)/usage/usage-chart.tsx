'use client';

import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import type { DailyUsage } from '@/lib/usage/stats';
import { JOB_TYPE_SERIES } from './job-types';

const dayLabel = (date: string) =>
  new Date(`${date}T00:00:00.000Z`).toLocaleDateString('en-US', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

/**
 * Jobs per UTC day, stacked by job type. A picture only: the page gives the same
 * numbers as a summary and a table (the figure's caption), so the chart is
 * hidden from assistive technology and kept out of the tab order rather than
 * offering a second, harder way through the same data.
 */
export function UsageChart({ data }: { data: DailyUsage[] }) {
  return (
    <div aria-hidden="true" className="h-64 w-full sm:h-72">
      <BarChart
        responsive
        accessibilityLayer={false}
        data={data}
        margin={{ top: 8, right: 8, bottom: 0, left: 0 }}
        style={{ width: '100%', height: '100%' }}
      >
        <CartesianGrid vertical={false} stroke="#e2e8f0" />
        <XAxis
          dataKey="date"
          tickFormatter={(date: string) => String(Number(date.slice(8)))}
          tick={{ fill: '#475569', fontSize: 12 }}
          tickLine={false}
          axisLine={{ stroke: '#cbd5e1' }}
          minTickGap={8}
        />
        <YAxis allowDecimals={false} width={32} tick={{ fill: '#475569', fontSize: 12 }} tickLine={false} axisLine={false} />
        <Tooltip
          cursor={{ fill: '#f1f5f9' }}
          // In the tables' order rather than alphabetical.
          itemSorter={(item) => JOB_TYPE_SERIES.findIndex((series) => series.key === item.dataKey)}
          labelFormatter={(date) => `${dayLabel(String(date))} (UTC)`}
          contentStyle={{ borderRadius: 6, borderColor: '#e2e8f0', fontSize: 13 }}
        />
        <Legend iconType="square" itemSorter={null} wrapperStyle={{ fontSize: 13, color: '#334155' }} />
        {JOB_TYPE_SERIES.map((s) => (
          <Bar key={s.key} dataKey={s.key} name={s.label} stackId="jobs" fill={s.color} maxBarSize={28} isAnimationActive={false} />
        ))}
      </BarChart>
    </div>
  );
}
