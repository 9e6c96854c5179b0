/**
 * Raw wire shapes of the Viessmann IoT API v2, named after the call. Only the
 * parts we read are typed; everything else passes through untouched.
 */

/** One property of a feature: `{"type":"number","unit":"celsius","value":12.2}`. */
export interface FeatureProperty {
  readonly type: string;
  readonly value?: unknown;
  readonly unit?: string;
}

/** One element of `GET …/devices/{deviceId}/features` → `data[]`. */
export interface Feature {
  readonly feature: string;
  readonly isEnabled: boolean;
  readonly isReady?: boolean;
  readonly properties: Readonly<Record<string, FeatureProperty>>;
  /** Last server-side update of this feature (not the poll time). */
  readonly timestamp?: string;
  readonly deprecated?: { readonly info?: string; readonly removalDate?: string };
}

/** Body of `GET /iot/v2/features/installations/{id}/gateways/{serial}/devices/{deviceId}/features`. */
export interface FeaturesResponse {
  readonly data: readonly Feature[];
}

/** `GET /iot/v2/equipment/installations?includeGateways=true` → `data[].gateways[].devices[]`. */
export interface InstallationDevice {
  readonly id: string;
  readonly modelId?: string;
  readonly deviceType?: string;
  readonly status?: string;
  readonly roles?: readonly string[];
}

interface InstallationGateway {
  readonly serial: string;
  readonly gatewayType?: string;
  readonly aggregatedStatus?: string;
  readonly devices?: readonly InstallationDevice[];
}

export interface Installation {
  readonly id: number | string;
  readonly description?: string | null;
  readonly gateways?: readonly InstallationGateway[];
}

export interface InstallationsResponse {
  readonly data: readonly Installation[];
}

/** Error body of the API: `{"viErrorId","statusCode","errorType","message","extendedPayload"}`. */
export interface ViErrorBody {
  readonly statusCode?: number;
  readonly errorType?: string;
  readonly message?: string;
  /** `EXPIRED TOKEN` on a 401 with an expired access token. */
  readonly error?: string;
  readonly extendedPayload?: {
    /** 429: epoch milliseconds when calls are allowed again. */
    readonly limitReset?: number;
    readonly name?: string;
    readonly requestCountLimit?: number;
    /** DEVICE_COMMUNICATION_ERROR: `DEVICE_OFFLINE` | `GATEWAY_OFFLINE` | `INTERNAL_SERVER_ERROR`. */
    readonly reason?: string;
  };
}

/** `POST /idp/v3/token` success body. Lifetimes: access 3600 s, refresh 180 days (rotated on use). */
export interface TokenResponse {
  readonly access_token: string;
  readonly refresh_token?: string;
  readonly token_type?: string;
  /** Seconds. */
  readonly expires_in?: number;
}

/** `DATA_DIR/viessmann-token.json` (mode 0600). */
export interface TokenFile {
  readonly refresh_token: string;
  readonly access_token?: string;
  /** When the access token expires, ms since epoch. */
  readonly access_expires_at_ms?: number;
  /** The client the tokens belong to; a changed VIESSMANN_CLIENT_ID needs a new login. */
  readonly client_id?: string;
  /** When the refresh token was obtained or last rotated, ms since epoch (it lasts 180 days). */
  readonly refreshed_at_ms?: number;
}

/** The device polled, as discovered (or overridden) and remembered in `DATA_DIR/viessmann-device.json`. */
export interface DeviceIds {
  readonly installationId: string;
  readonly gatewaySerial: string;
  readonly deviceId: string;
  readonly modelId?: string;
}
