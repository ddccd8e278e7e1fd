package jp.kofu.console;

import java.util.ArrayList;
import java.util.List;

/**
 * A bar chart of two series by hour of the day, laid out here and drawn as SVG by the page's template (no
 * script, no external resource). The same numbers are also given as a table for screen readers.
 */
record HourlyChart(int width, int height, int left, int top, int plotWidth, int plotHeight, List<Bar> bars,
                   List<Tick> ticks, List<Tick> hours, String firstLabel, String secondLabel) {

    record Bar(int x, int y, int width, int height, String series, String title) {}

    record Tick(int position, String label) {}

    static HourlyChart of(long[] first, long[] second, String firstLabel, String secondLabel) {
        int width = 960;
        int height = 300;
        int left = 56;
        int top = 16;
        int plotWidth = width - left - 16;
        int plotHeight = height - top - 44;
        long max = 0;
        for (int h = 0; h < 24; h++) {
            max = Math.max(max, Math.max(first[h], second[h]));
        }
        long scale = niceCeiling(max);
        double slot = plotWidth / 24.0;
        int barWidth = (int) Math.floor(slot * 0.36);
        List<Bar> bars = new ArrayList<>();
        List<Tick> hours = new ArrayList<>();
        for (int h = 0; h < 24; h++) {
            int x0 = left + (int) Math.round(h * slot + slot * 0.12);
            bars.add(bar(x0, first[h], scale, barWidth, top, plotHeight, "first", h + "時台 " + firstLabel + " " + first[h] + "件"));
            bars.add(bar(x0 + barWidth + 1, second[h], scale, barWidth, top, plotHeight, "second",
                    h + "時台 " + secondLabel + " " + second[h] + "件"));
            hours.add(new Tick(left + (int) Math.round(h * slot + slot / 2), String.valueOf(h)));
        }
        List<Tick> ticks = new ArrayList<>();
        for (int i = 0; i <= 4; i++) {
            long value = scale * i / 4;
            ticks.add(new Tick(top + plotHeight - (int) Math.round(plotHeight * (double) i / 4), value + "件"));
        }
        return new HourlyChart(width, height, left, top, plotWidth, plotHeight, bars, ticks, hours, firstLabel,
                secondLabel);
    }

    private static Bar bar(int x, long value, long scale, int width, int top, int plotHeight, String series,
                           String title) {
        int h = (int) Math.round(plotHeight * (double) value / scale);
        if (value > 0 && h < 2) {
            h = 2;
        }
        return new Bar(x, top + plotHeight - h, width, h, series, title);
    }

    /** The smallest of 4, 8, 20, 40, 80, 200 ... at or above {@code max}, so that the four grid steps are round. */
    static long niceCeiling(long max) {
        long step = 1;
        while (true) {
            for (long m : new long[] {1, 2, 5}) {
                if (4 * m * step >= max && 4 * m * step > 0) {
                    return 4 * m * step;
                }
            }
            step *= 10;
        }
    }

    public int bottom() {
        return top + plotHeight;
    }

    public int right() {
        return left + plotWidth;
    }
}
