export interface User {
  id: string;
  username: string;
  passwordHash: string;
  scopes: string[];
  disabled: boolean;
  createdAt: number;
}

/** Scopes a new user gets unless told otherwise. */
export const DEFAULT_SCOPES = ['profile', 'resource:read'];
