/**
 * Demo branches: three or four counters per demo provider in Shanghai, with real coordinates, and
 * a year of generated history in the hourly load (summed per branch, date and hour — a raw visit
 * per row would be ~250,000 rows and seconds of seeding; the sums are ~33,000 rows). The pattern is
 * the one counters see: busy weekends, a lunch-hour and after-work peak, quiet weekday mornings,
 * month-ends busier (more so at the mobile operator, whose online channel closes at 18:00 on the
 * last day), closed on public holidays, make-up workdays like a Monday.
 *
 * Today's appointments at the biggest branch are seeded too, so the counter view has people in it.
 * Deterministic: the same `now` gives the same data.
 */
import type { DbOrTx } from "../db/connect.js";
import { insertHourlyLoad } from "./db/branches-repository.js";
import { generateHistory, scheduleOf } from "./demo-history.js";
import type { BranchService } from "./domain/branch.js";
import {
  dayInfo,
  localToUtc,
  minutesOf,
  type OpeningHours,
  openIntervals,
  slotsOfDay,
  utcOffsetMinutes,
  utcToLocal,
} from "./domain/calendar.js";
import { CN_HOLIDAYS } from "./domain/holidays.js";

export interface DemoBranch {
  id: string;
  provider: string;
  code: string;
  nameZh: string;
  nameEn: string;
  addressZh: string;
  addressEn: string;
  lat: number;
  lng: number;
  counters: number;
  services: BranchService[];
  hours: OpeningHours;
  slotCapacity: number;
  /** Share of all counters that arrivals keep busy on a Monday mid-morning (the pattern multiplies it). */
  base: number;
  /** Weekend demand relative to weekdays: shopping districts love weekends, CBDs do not. */
  weekend: number;
  serviceMinutes: number;
}

const day = (from: string, to: string, lunchCounters?: number) =>
  lunchCounters === undefined
    ? [{ from, to }]
    : [
        { from, to: "12:00" },
        { from: "12:00", to: "14:00", counters: lunchCounters },
        { from: "14:00", to },
      ];

const everyDay = (from: string, to: string, lunch?: number): OpeningHours => ({
  "1": day(from, to, lunch),
  "2": day(from, to, lunch),
  "3": day(from, to, lunch),
  "4": day(from, to, lunch),
  "5": day(from, to, lunch),
  "6": day(from, to, lunch),
  "7": day(from, to, lunch),
});

const SIM: BranchService[] = [
  "sim_cancellation",
  "identity_check",
  "document_check",
  "number_restore",
  "guardian_cases",
];
const BANK: BranchService[] = ["card_cancellation", "identity_check", "document_check", "card_destruction"];
const TRANSIT: BranchService[] = [
  "card_cancellation",
  "deposit_return",
  "card_destruction",
  "guardian_cases",
];

export const DEMO_BRANCHES: readonly DemoBranch[] = [
  {
    id: "brn_mobile_xujiahui",
    provider: "prv_demo_mobile",
    code: "mobile-xujiahui",
    nameZh: "徐家汇营业厅",
    nameEn: "Xujiahui store",
    addressZh: "上海市徐汇区漕溪北路 18 号",
    addressEn: "18 North Caoxi Road, Xuhui District, Shanghai",
    lat: 31.1952,
    lng: 121.4365,
    counters: 6,
    services: SIM,
    hours: everyDay("09:00", "21:00", 5),
    slotCapacity: 3,
    base: 0.5,
    weekend: 1.4,
    serviceMinutes: 12,
  },
  {
    id: "brn_mobile_lujiazui",
    provider: "prv_demo_mobile",
    code: "mobile-lujiazui",
    nameZh: "陆家嘴营业厅",
    nameEn: "Lujiazui store",
    addressZh: "上海市浦东新区陆家嘴环路 1000 号",
    addressEn: "1000 Lujiazui Ring Road, Pudong New Area, Shanghai",
    lat: 31.2397,
    lng: 121.4998,
    counters: 4,
    services: SIM,
    hours: {
      ...everyDay("09:00", "18:00", 3),
      "6": [{ from: "10:00", to: "17:00" }],
      "7": [{ from: "10:00", to: "17:00" }],
    },
    slotCapacity: 2,
    base: 0.52,
    weekend: 0.7,
    serviceMinutes: 12,
  },
  {
    id: "brn_mobile_wujiaochang",
    provider: "prv_demo_mobile",
    code: "mobile-wujiaochang",
    nameZh: "五角场营业厅",
    nameEn: "Wujiaochang store",
    addressZh: "上海市杨浦区淞沪路 8 号",
    addressEn: "8 Songhu Road, Yangpu District, Shanghai",
    lat: 31.2993,
    lng: 121.5141,
    counters: 3,
    services: SIM,
    hours: everyDay("09:30", "20:00"),
    slotCapacity: 2,
    base: 0.5,
    weekend: 1.4,
    serviceMinutes: 12,
  },
  {
    id: "brn_mobile_xinzhuang",
    provider: "prv_demo_mobile",
    code: "mobile-xinzhuang",
    nameZh: "莘庄营业厅",
    nameEn: "Xinzhuang store",
    addressZh: "上海市闵行区莘松路 58 号",
    addressEn: "58 Xinsong Road, Minhang District, Shanghai",
    lat: 31.1114,
    lng: 121.3853,
    counters: 2,
    services: SIM,
    hours: everyDay("09:00", "18:00"),
    slotCapacity: 1,
    base: 0.48,
    weekend: 1.3,
    serviceMinutes: 12,
  },
  {
    id: "brn_bank_nanjing_road",
    provider: "prv_demo_bank",
    code: "bank-nanjing-road",
    nameZh: "南京东路支行",
    nameEn: "East Nanjing Road branch",
    addressZh: "上海市黄浦区南京东路 300 号",
    addressEn: "300 East Nanjing Road, Huangpu District, Shanghai",
    lat: 31.2381,
    lng: 121.4809,
    counters: 5,
    services: BANK,
    hours: {
      ...everyDay("09:00", "17:00", 4),
      "6": [{ from: "09:00", to: "16:00" }],
      "7": [{ from: "09:00", to: "16:00" }],
    },
    slotCapacity: 2,
    base: 0.5,
    weekend: 1.3,
    serviceMinutes: 15,
  },
  {
    id: "brn_bank_jingan",
    provider: "prv_demo_bank",
    code: "bank-jingan",
    nameZh: "静安寺支行",
    nameEn: "Jing'an Temple branch",
    addressZh: "上海市静安区南京西路 1618 号",
    addressEn: "1618 West Nanjing Road, Jing'an District, Shanghai",
    lat: 31.2231,
    lng: 121.4457,
    counters: 4,
    services: BANK,
    hours: {
      ...everyDay("09:00", "17:00", 3),
      "6": [{ from: "10:00", to: "16:00" }],
      "7": [],
    },
    slotCapacity: 2,
    base: 0.48,
    weekend: 1.4,
    serviceMinutes: 15,
  },
  {
    id: "brn_bank_zhangjiang",
    provider: "prv_demo_bank",
    code: "bank-zhangjiang",
    nameZh: "张江支行",
    nameEn: "Zhangjiang branch",
    addressZh: "上海市浦东新区张江路 665 号",
    addressEn: "665 Zhangjiang Road, Pudong New Area, Shanghai",
    lat: 31.2041,
    lng: 121.5903,
    counters: 2,
    services: BANK,
    hours: { ...everyDay("09:00", "17:00"), "6": [], "7": [] },
    slotCapacity: 1,
    base: 0.45,
    weekend: 1,
    serviceMinutes: 15,
  },
  {
    id: "brn_transit_peoples_square",
    provider: "prv_demo_transit",
    code: "transit-peoples-square",
    nameZh: "人民广场服务网点",
    nameEn: "People's Square service point",
    addressZh: "上海市黄浦区人民大道地铁站 1 号口",
    addressEn: "People's Square metro station, exit 1, Huangpu District, Shanghai",
    lat: 31.2323,
    lng: 121.4751,
    counters: 3,
    services: TRANSIT,
    hours: everyDay("08:00", "20:00"),
    slotCapacity: 2,
    base: 0.52,
    weekend: 1.3,
    serviceMinutes: 8,
  },
  {
    id: "brn_transit_hongqiao",
    provider: "prv_demo_transit",
    code: "transit-hongqiao",
    nameZh: "虹桥枢纽服务网点",
    nameEn: "Hongqiao hub service point",
    addressZh: "上海市闵行区申贵路 1500 号虹桥枢纽",
    addressEn: "Hongqiao hub, 1500 Shengui Road, Minhang District, Shanghai",
    lat: 31.1949,
    lng: 121.3207,
    counters: 4,
    services: TRANSIT,
    hours: everyDay("08:00", "20:00"),
    slotCapacity: 2,
    base: 0.5,
    weekend: 1.5,
    serviceMinutes: 8,
  },
  {
    id: "brn_transit_railway_station",
    provider: "prv_demo_transit",
    code: "transit-railway-station",
    nameZh: "上海火车站服务网点",
    nameEn: "Shanghai Railway Station service point",
    addressZh: "上海市静安区秣陵路 303 号",
    addressEn: "303 Moling Road, Jing'an District, Shanghai",
    lat: 31.2496,
    lng: 121.4554,
    counters: 2,
    services: TRANSIT,
    hours: everyDay("08:00", "18:00"),
    slotCapacity: 1,
    base: 0.5,
    weekend: 1.4,
    serviceMinutes: 8,
  },
];

/** Demo holders with a booking today at Xujiahui, and when (local time). */
const TODAY_BOOKINGS = [
  { holderId: "hld_demo_li_na", at: "10:00" },
  { holderId: "hld_demo_liu_yang", at: "11:30" },
  { holderId: "hld_demo_wang_fang", at: "15:00" },
  { holderId: "hld_demo_lin_meiling", at: "16:30" },
];

/**
 * Loads the demo branches, a year of hourly load before today, and today's appointments at the
 * Xujiahui store (those whose slot is over are served, with their visit). Call inside the seed's
 * transaction; `ids` names the appointments and visits.
 */
export async function seedBranches(
  deps: { db: DbOrTx; ids: { id(prefix: string): string } },
  now: Date,
): Promise<{ branches: number; loadRows: number; appointments: number }> {
  const nowIso = now.toISOString();
  const today = utcToLocal(now, "Asia/Shanghai").date;
  let loadRows = 0;
  for (const [i, b] of DEMO_BRANCHES.entries()) {
    await deps.db
      .insertInto("branches")
      .values({
        id: b.id,
        providerId: b.provider,
        code: b.code,
        nameZh: b.nameZh,
        nameEn: b.nameEn,
        timeZone: "Asia/Shanghai",
        addressZh: b.addressZh,
        addressEn: b.addressEn,
        lat: b.lat,
        lng: b.lng,
        counters: b.counters,
        servicesJson: JSON.stringify(b.services),
        openingHoursJson: JSON.stringify(b.hours),
        slotMinutes: 30,
        slotCapacity: b.slotCapacity,
        createdAt: nowIso,
        updatedAt: nowIso,
      })
      .execute();
    const rows = generateHistory(b, today, 365, 20_261_124 + i);
    await insertHourlyLoad(deps.db, rows);
    loadRows += rows.length;
  }
  const appointments = await seedTodaysAppointments(deps, DEMO_BRANCHES[0]!, now, today);
  return { branches: DEMO_BRANCHES.length, loadRows, appointments };
}

async function seedTodaysAppointments(
  deps: { db: DbOrTx; ids: { id(prefix: string): string } },
  b: DemoBranch,
  now: Date,
  today: string,
): Promise<number> {
  const schedule = scheduleOf(b);
  const info = dayInfo(today, CN_HOLIDAYS);
  const slots = slotsOfDay(schedule, openIntervals(schedule, info));
  const offset = utcOffsetMinutes(today, schedule.timeZone);
  let n = 0;
  for (const t of TODAY_BOOKINGS) {
    const slot = slots.find((s) => s.startMinute === minutesOf(t.at));
    if (!slot) continue;
    const start = localToUtc(today, slot.startMinute, offset);
    const end = localToUtc(today, slot.endMinute, offset);
    const over = end.getTime() <= now.getTime();
    const appointmentId = deps.ids.id("apt");
    const visitId = over ? deps.ids.id("vis") : null;
    await deps.db
      .insertInto("branchSlots")
      .values({
        branchId: b.id,
        startAt: start.toISOString(),
        endAt: end.toISOString(),
        capacity: b.slotCapacity,
        booked: 1,
      })
      .execute();
    await deps.db
      .insertInto("appointments")
      .values({
        id: appointmentId,
        branchId: b.id,
        holderId: t.holderId,
        applicationId: null,
        service: "sim_cancellation",
        slotStart: start.toISOString(),
        slotEnd: end.toISOString(),
        status: over ? "served" : "booked",
        visitId,
        createdAt: new Date(start.getTime() - 3 * 86_400_000).toISOString(),
        updatedAt: (over ? end : now).toISOString(),
        checkedInAt: over ? new Date(start.getTime() - 5 * 60_000).toISOString() : null,
        servedAt: over ? end.toISOString() : null,
        cancelledAt: null,
        noShowAt: null,
        version: over ? 3 : 1,
      })
      .execute();
    if (visitId) {
      const arrived = new Date(start.getTime() - 5 * 60_000);
      await deps.db
        .insertInto("branchVisits")
        .values({
          id: visitId,
          branchId: b.id,
          appointmentId,
          status: "served",
          arrivedAt: arrived.toISOString(),
          serviceStartedAt: new Date(start.getTime() + 3 * 60_000).toISOString(),
          servedAt: end.toISOString(),
          counter: 1 + (n % b.counters),
          localDate: today,
          hour: utcToLocal(arrived, schedule.timeZone).hour,
        })
        .execute();
    }
    n++;
  }
  return n;
}
