/**
 * Preloaded into the server under test (`node --import`): moves its clock by
 * ZHUXIAO_E2E_CLOCK_OFFSET_MS so that the demo providers' online service windows are open whatever
 * the hour the suite runs at. Only the clock moves; time still passes normally.
 */
const offset = Number(process.env.ZHUXIAO_E2E_CLOCK_OFFSET_MS ?? "0");
if (Number.isFinite(offset) && offset !== 0) {
  const RealDate = globalThis.Date;
  class ShiftedDate extends RealDate {
    constructor(...args) {
      if (args.length === 0) super(RealDate.now() + offset);
      else super(...args);
    }
    static now() {
      return RealDate.now() + offset;
    }
  }
  globalThis.Date = ShiftedDate;
}
