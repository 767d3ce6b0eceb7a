/**
 * The demo cards the integration tests use, by role in the test (see docs/demo.md for the set).
 */
export const D = {
  /** 张伟's physical SIM: real-name, no blockers, cash + gifted balance, five bindings. */
  cleanSim: {
    phone: "13812348000",
    card: "card_demo_sim_clean",
    msisdn: "13812348000",
    iccid: "89860011102300154616",
    idNumber: "110105198503120012",
  },
  /** 张伟's debit card: nothing against it. */
  cleanDebit: { phone: "13812348000", card: "card_demo_debit_clean" },
  /** 李娜's SIM in arrears. */
  arrears: { phone: "13916625801", card: "card_demo_sim_arrears" },
  /** 陈静's old number, cancelled by ZX2610150DEMO1. */
  cancelled: { phone: "13808868888", card: "card_demo_sim_cancelled", applicationNumber: "ZX2610150DEMO1" },
  /** 刘洋's credit card and its supplementary card (the bank cascades supplementary cards). */
  creditPrimary: {
    phone: "18666042719",
    card: "card_demo_credit_primary",
    supplementary: "card_demo_credit_supplementary",
  },
  mobileSlaDays: 7,
} as const;

/** 王小明's transit card: goes online, with a photo of the card. */
export const TRANSIT_ONLINE = { phone: "19857121608", card: "card_demo_transit_online" } as const;
