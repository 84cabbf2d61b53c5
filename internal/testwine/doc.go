// Package testwine tells tests whether they run under Wine rather than on
// real Windows, so that the few that need what Wine lacks can skip, saying
// why, while everything else runs.
//
// Detection asks the running system itself: Wine's ntdll.dll exports
// wine_get_version, which Windows' never does. No environment variable is
// consulted, so a CI script cannot make a test skip by setting one.
//
// What Wine 8 lacks, as measured:
//   - the owner PID of a listening socket: GetExtendedTcpTable reports 0
//     for every one (OwnerPID);
//   - UDP sockets: net.ListenPacket("udp", ...) fails with WSAEOPNOTSUPP
//     (10045) from WSAIoctl (UDP).
//
// EtcFile names the files of %SystemRoot%\System32\drivers\etc (hosts,
// services) for the Windows-only tests that read them, on Windows and Wine.
// It imports nothing of whyrefused.
package testwine
