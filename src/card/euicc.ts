/**
 * The eUICC's ISD-R over APDUs (SGP.22 §5.7): a logical channel is opened, the ISD-R selected on
 * it, and every ES10 call is STORE DATA (`80 E2 91 00 Lc <DER> 00`, P1 `91` = last block,
 * BER-TLV, response expected), segmented when the request is long.
 */
import {
  command,
  manageChannelCloseCommand,
  manageChannelOpenCommand,
  onChannel,
  SELECT_BY_AID,
  SW_OK,
  selectCommand,
} from "./apdu.js";
import { fromHex } from "./bytes.js";
import { CardError, statusError } from "./errors.js";
import {
  DELETE_RESULTS,
  DISABLE_RESULTS,
  deleteProfileRequest,
  disableProfileRequest,
  ES10_TAGS,
  getEidRequest,
  getProfilesInfoRequest,
  ISD_R_AID,
  listNotificationRequest,
  type NotificationMetadata,
  type PendingNotification,
  type ProfileInfo,
  parseGetEidResponse,
  parseListNotificationResponse,
  parseProfilesInfoResponse,
  parseResultResponse,
  parseRetrieveNotificationsResponse,
  removeNotificationRequest,
  retrieveNotificationRequest,
} from "./es10.js";
import type { CardChannel } from "./transport.js";

/** STORE DATA block size; 120 is what lpac uses and every eUICC accepts. */
const BLOCK = 120;

export class EuiccClient {
  private constructor(
    private readonly channel: CardChannel,
    /** Logical channel number the ISD-R is selected on (0 when the card has no extra channels). */
    readonly logicalChannel: number,
  ) {}

  /** Opens a logical channel and selects the ISD-R on it; falls back to the basic channel. */
  static async open(channel: CardChannel): Promise<EuiccClient> {
    let ch = 0;
    const opened = await channel.send(manageChannelOpenCommand());
    if (opened.sw === SW_OK && opened.data.length === 1) ch = opened.data[0] as number;
    const sel = await channel.send(
      selectCommand(SELECT_BY_AID, fromHex(ISD_R_AID), 0x00, onChannel(0x00, ch)),
    );
    if (sel.sw === 0x6a82) {
      if (ch) await channel.send(manageChannelCloseCommand(ch));
      throw new CardError("ES10_ERROR", { detail: "no ISD-R on this card: it is not an eUICC" });
    }
    if (sel.sw !== SW_OK) throw statusError(sel.sw, "SELECT ISD-R");
    return new EuiccClient(channel, ch);
  }

  async close(): Promise<void> {
    if (this.logicalChannel) await this.channel.send(manageChannelCloseCommand(this.logicalChannel));
  }

  /** One ES10 call: the request in STORE DATA blocks, the complete answer back. */
  async call(request: Uint8Array): Promise<Uint8Array> {
    const cla = onChannel(0x80, this.logicalChannel);
    const blocks = Math.max(1, Math.ceil(request.length / BLOCK));
    for (let b = 0; b < blocks; b++) {
      const last = b === blocks - 1;
      const data = request.subarray(b * BLOCK, (b + 1) * BLOCK);
      const r = await this.channel.send(command(cla, 0xe2, last ? 0x91 : 0x11, b, data, last ? 0x00 : null));
      if (r.sw !== SW_OK) throw statusError(r.sw, `STORE DATA block ${b}`);
      if (last) return r.data;
    }
    return new Uint8Array();
  }

  async getEid(): Promise<string> {
    return parseGetEidResponse(await this.call(getEidRequest()));
  }

  async profiles(): Promise<ProfileInfo[]> {
    return parseProfilesInfoResponse(await this.call(getProfilesInfoRequest()));
  }

  async disableProfile(iccid: string): Promise<void> {
    const result = parseResultResponse(
      await this.call(disableProfileRequest(iccid)),
      ES10_TAGS.disableProfile,
      "DisableProfile",
    );
    if (result !== 0) {
      throw new CardError("ESIM_OPERATION_FAILED", {
        operation: "disable",
        iccid,
        result: `${result} ${DISABLE_RESULTS[result] ?? ""}`.trim(),
      });
    }
  }

  async deleteProfile(iccid: string): Promise<void> {
    const result = parseResultResponse(
      await this.call(deleteProfileRequest(iccid)),
      ES10_TAGS.deleteProfile,
      "DeleteProfile",
    );
    if (result !== 0) {
      throw new CardError("ESIM_OPERATION_FAILED", {
        operation: "delete",
        iccid,
        result: `${result} ${DELETE_RESULTS[result] ?? ""}`.trim(),
      });
    }
  }

  async listNotifications(): Promise<NotificationMetadata[]> {
    return parseListNotificationResponse(await this.call(listNotificationRequest()));
  }

  async retrieveNotification(seq: number): Promise<PendingNotification | null> {
    const list = parseRetrieveNotificationsResponse(await this.call(retrieveNotificationRequest(seq)));
    return list.find((n) => n.metadata.seq === seq) ?? null;
  }

  /** Removes a notification the SM-DP+ acknowledged; true when the eUICC had it. */
  async removeNotification(seq: number): Promise<boolean> {
    const r = parseResultResponse(
      await this.call(removeNotificationRequest(seq)),
      ES10_TAGS.removeNotificationFromList,
      "RemoveNotificationFromList",
    );
    return r === 0;
  }
}
