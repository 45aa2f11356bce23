/**
 * Property tests of the feature fold: the features are a function of the set of events folded, so
 * arrival order inside the lateness bound, batching and replays never change them.
 */
import { expect } from "chai";
import fc from "fast-check";
import { FeatureEvent, foldEvents, RUN_WINDOW_MS, UserFeatures } from "../../functions/aws/features/features";

const MIN = 60_000;
const T0 = Date.parse("2026-11-28T10:00:00.000Z");

/** The features straight from the definition: the last event and the run of 5-minute gaps ending at it. */
function reference(events: readonly FeatureEvent[]) {
  const sorted = [...events].sort(
    (a, b) => a.timeMs - b.timeMs || Number(BigInt(a.sequenceNumber) - BigInt(b.sequenceNumber)),
  );
  let count = 1;
  for (let i = sorted.length - 1; i > 0 && sorted[i].timeMs - sorted[i - 1].timeMs <= RUN_WINDOW_MS; i--) count++;
  const last = sorted[sorted.length - 1];
  return { lastEventTimeMs: last.timeMs, lastEventType: last.eventType, recentEventCount: count };
}

interface Delivery {
  readonly batches: FeatureEvent[][];
  readonly allowedLatenessMs: number;
}

/**
 * Events in arrival order, each at most `allowedLatenessMs` behind the latest event time arrived
 * before it (sequence numbers rise with arrival, as Kinesis assigns them), cut into batches.
 * Time steps are whole seconds and minutes so that gaps of exactly 5 minutes and events exactly at
 * the lateness bound come up.
 */
const delivery = (
  lateness: fc.Arbitrary<number>,
  extraLate: fc.Arbitrary<number> = fc.constant(0),
): fc.Arbitrary<Delivery> =>
  fc
    .record({
      allowedLatenessMs: lateness,
      steps: fc.array(
        fc.record({
          forward: fc.boolean(),
          fraction: fc.double({ min: 0, max: 1, noNaN: true }),
          minutes: fc.integer({ min: 0, max: 12 }),
          extra: extraLate,
          type: fc.constantFrom("view", "cart", "buy"),
          cut: fc.boolean(),
        }),
        { minLength: 1, maxLength: 40 },
      ),
    })
    .map(({ allowedLatenessMs, steps }) => {
      let latest = T0;
      const batches: FeatureEvent[][] = [[]];
      steps.forEach((step, i) => {
        // Forward: up to 12 minutes after the latest; back: up to the lateness bound (snapped to seconds), plus any extra lateness asked for.
        const back = Math.round((step.fraction * allowedLatenessMs) / 1000) * 1000;
        const timeMs =
          i === 0
            ? T0
            : step.forward
              ? latest + step.minutes * MIN
              : latest - Math.min(back, allowedLatenessMs) - step.extra;
        latest = Math.max(latest, timeMs);
        if (step.cut && batches[batches.length - 1].length > 0) batches.push([]);
        batches[batches.length - 1].push({
          userId: "u",
          eventType: step.type,
          timeMs,
          sequenceNumber: String(49_000_000_000n + BigInt(i)),
        });
      });
      return { batches, allowedLatenessMs };
    });

function foldAll(
  batches: readonly (readonly FeatureEvent[])[],
  allowedLatenessMs: number,
  shuffle: (b: readonly FeatureEvent[]) => readonly FeatureEvent[] = (b) => b,
) {
  let state: UserFeatures | undefined;
  const tooLate: FeatureEvent[] = [];
  for (const batch of batches) {
    const result = foldEvents("u", state, shuffle(batch), allowedLatenessMs);
    tooLate.push(...result.tooLate);
    state = result.next ?? state;
  }
  return { state, tooLate };
}

const features = (s: UserFeatures | undefined) =>
  s && { lastEventTimeMs: s.lastEventTimeMs, lastEventType: s.lastEventType, recentEventCount: s.recentEventCount };

describe("feature fold properties (fast-check)", () => {
  const lateness = fc.constantFrom(0, 1 * MIN, 5 * MIN, 15 * MIN, 60 * MIN);

  it("equals the definition over all events, whatever the batching and the order inside batches, when nothing is too late", () => {
    fc.assert(
      fc.property(delivery(lateness), fc.infiniteStream(fc.nat()), ({ batches, allowedLatenessMs }, seeds) => {
        const events = batches.flat();
        const shuffle = (b: readonly FeatureEvent[]) =>
          [...b]
            .map((e) => ({ e, k: seeds.next().value as number }))
            .sort((x, y) => x.k - y.k)
            .map((x) => x.e);
        const { state, tooLate } = foldAll(batches, allowedLatenessMs, shuffle);
        expect(tooLate).to.deep.equal([]);
        expect(features(state)).to.deep.equal(reference(events));
        // One batch of everything gives the same features too.
        expect(features(foldAll([events], allowedLatenessMs).state)).to.deep.equal(reference(events));
      }),
      { numRuns: 400 },
    );
  });

  it("a replayed batch changes nothing, and a resumed one (its tail again, then new records) counts each event once", () => {
    fc.assert(
      fc.property(delivery(lateness), fc.nat(), fc.nat(), ({ batches, allowedLatenessMs }, which, tailFrom) => {
        const k = which % batches.length;
        const plain = foldAll(batches, allowedLatenessMs).state;
        // Lambda retries batch k whole, then resumes it from a record inside it with the next batch appended.
        const tail = batches[k].slice(tailFrom % batches[k].length);
        const replayed = [
          ...batches.slice(0, k + 1),
          batches[k],
          [...tail, ...(batches[k + 1] ?? [])],
          ...batches.slice(k + 2),
        ];
        const { state } = foldAll(replayed, allowedLatenessMs);
        expect(features(state)).to.deep.equal(features(plain));
        expect(state?.appliedSequenceNumbers).to.deep.equal(plain?.appliedSequenceNumbers);
      }),
      { numRuns: 300 },
    );
  });

  it("with events beyond the allowed lateness: each is reported too late or folded, and the features are the definition over the folded ones", () => {
    fc.assert(
      fc.property(delivery(lateness, fc.constantFrom(0, 0, 1, 30 * MIN)), ({ batches, allowedLatenessMs }) => {
        const events = batches.flat();
        const { state, tooLate } = foldAll(batches, allowedLatenessMs);
        const late = new Set(tooLate.map((e) => e.sequenceNumber));
        const folded = events.filter((e) => !late.has(e.sequenceNumber));
        expect(tooLate.length + folded.length).to.equal(events.length);
        expect(features(state)).to.deep.equal(reference(folded));
      }),
      { numRuns: 400 },
    );
  });

  it("the state stays small: runs kept are more than 5 minutes apart and within lateness + 5 minutes of the last event", () => {
    fc.assert(
      fc.property(delivery(lateness), ({ batches, allowedLatenessMs }) => {
        const { state } = foldAll(batches, allowedLatenessMs);
        const runs = state?.recentRuns ?? [];
        for (let i = 1; i < runs.length; i++)
          expect(runs[i].startMs - runs[i - 1].endMs).to.be.greaterThan(RUN_WINDOW_MS);
        expect(runs.length).to.be.at.most(Math.floor(allowedLatenessMs / RUN_WINDOW_MS) + 2);
      }),
      { numRuns: 200 },
    );
  });
});
