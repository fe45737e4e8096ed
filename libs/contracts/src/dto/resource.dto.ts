export class ProtectedResourceResponseDto {
  message!: string;
  user!: { userId: string; username: string };
}

export class PublicResourceResponseDto {
  message!: string;
}
