import { describe, expect, it } from "vitest";
import type { SmsMessage } from "./model.js";
import { parseSmsBackupXml, writeSmsBackupXml } from "./sms-backup-xml.js";
import { escapeXmlAttr, unescapeXml, XmlError } from "./xml.js";

const messages: SmsMessage[] = [
  {
    address: "+8613800138000",
    body: "你好 <b>\"quoted\"</b> & 'apos'\nsecond line 😀",
    box: "inbox",
    read: true,
    date: Date.parse("2024-05-01T04:34:56Z"),
    dateLocal: "2024-05-01T12:34:56+08:00",
    serviceCenter: "+8613800100500",
    status: -1,
  },
  {
    address: "10086",
    body: "CXYE",
    box: "sent",
    read: true,
    date: 1_700_000_000_000,
    dateLocal: null,
    serviceCenter: null,
    status: 32,
  },
];

const OPTS = { backupSet: "0f6b1c7e-1111-4222-8333-944445555666", backupDate: 1_716_000_000_000 };

describe("SMS Backup & Restore XML", () => {
  it("writes the app's root and attributes", () => {
    const xml = writeSmsBackupXml(messages, OPTS);
    expect(xml.startsWith("<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n")).toBe(true);
    expect(xml).toContain(
      `<smses count="2" backup_set="${OPTS.backupSet}" backup_date="1716000000000" type="full">`,
    );
    expect(xml).toContain(
      'protocol="0" address="+8613800138000" date="1714538096000" type="1" subject="null"',
    );
    expect(xml).toContain(
      'body="你好 &lt;b&gt;&quot;quoted&quot;&lt;/b&gt; &amp; &apos;apos&apos;&#10;second line 😀"',
    );
    expect(xml).toContain('service_center="null" read="1" status="32"');
  });

  it("round-trips messages", () => {
    const parsed = parseSmsBackupXml(writeSmsBackupXml(messages, OPTS));
    expect(parsed).toMatchObject({
      declaredCount: 2,
      backupSet: OPTS.backupSet,
      backupDate: OPTS.backupDate,
      mmsSkipped: 0,
    });
    expect(parsed.messages).toEqual(messages);
  });

  it("reads what the phone app writes: surrogate-pair references, single quotes, MMS", () => {
    const xml = `<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>
<!--File Created By SMS Backup & Restore v10.20.002 on 01/05/2024 12:00:00-->
<?xml-stylesheet type="text/xsl" href="sms.xsl"?>
<smses count="3" backup_set="abc" backup_date="1714538096000" type="full">
  <sms protocol="0" address="+8613800138000" date="1714538096000" type="2" subject="null" body="Hi &#55357;&#56832; &#x4F60;" toa="null" sc_toa="null" service_center="null" read="1" status="-1" locked="0" date_sent="0" sub_id="1" readable_date="May 1, 2024 12:34:56 PM" contact_name='Zhang "San"' />
  <mms date="1714538096000" ct_t="application/vnd.wap.multipart.related" msg_box="1"><parts><part seq="0" ct="text/plain" text="x" /></parts><addrs><addr address="10086" type="137" charset="106" /></addrs></mms>
  <sms protocol="0" address="10086" date="1714538097000" type="1" subject="null" body="" service_center="+8613800100500" read="0" status="-1" />
</smses>`;
    const r = parseSmsBackupXml(xml);
    expect(r.mmsSkipped).toBe(1);
    expect(r.messages.map((m) => [m.address, m.body, m.box, m.read, m.serviceCenter])).toEqual([
      ["+8613800138000", "Hi 😀 你", "sent", true, null],
      ["10086", "", "inbox", false, "+8613800100500"],
    ]);
  });

  it("refuses a file without an <smses> root and a broken reference", () => {
    expect(() => parseSmsBackupXml("<html></html>")).toThrow(XmlError);
    expect(() => unescapeXml("&bogus;")).toThrow(XmlError);
  });

  it("escapes control characters and lone surrogates as references", () => {
    expect(escapeXmlAttr("a\u0001b\ud800")).toBe("a&#1;b&#55296;");
    expect(unescapeXml("a&#1;b&#55296;")).toBe("a\u0001b\ud800");
  });
});
