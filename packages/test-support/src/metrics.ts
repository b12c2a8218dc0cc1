/** One scrape of a Prometheus text endpoint, to read samples by name and labels. */
export interface Scrape {
  readonly text: string;
  /** The sample with exactly these labels (ignoring none), or 0 when absent: counters start at 0. */
  value(name: string, labels?: Record<string, string>): number;
  /** Every sample of `name`, its labels as an object. */
  samples(name: string): Array<{ labels: Record<string, string>; value: number }>;
}

export async function scrape(url: string): Promise<Scrape> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return readScrape(await response.text());
}

/** Reads Prometheus text already in hand (a registry's `metrics()`, say) as a scrape. */
export function readScrape(text: string): Scrape {
  const parsed = parsePrometheusText(text);
  const samples = (name: string) => parsed.filter((sample) => sample.name === name);
  return {
    text,
    samples,
    value(name, labels = {}) {
      const wanted = JSON.stringify(Object.entries(labels).sort());
      const found = samples(name).find(
        (sample) => JSON.stringify(Object.entries(sample.labels).sort()) === wanted,
      );
      return found?.value ?? 0;
    },
  };
}

/** The text exposition format's sample lines (`name{a="b"} 1`); comments are skipped. */
function parsePrometheusText(text: string) {
  const samples: Array<{ name: string; labels: Record<string, string>; value: number }> = [];
  for (const line of text.split("\n")) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[pair[1] as string] = (pair[2] as string).replace(/\\(.)/g, "$1");
    }
    samples.push({ name: match[1] as string, labels, value: Number(match[3]) });
  }
  return samples;
}
