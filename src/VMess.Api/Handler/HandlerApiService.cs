using Grpc.Core;
using Microsoft.Extensions.Logging;
using VMess.Api.V2Ray.App.Proxyman.Command;
using VMess.Registry.Messages;

namespace VMess.Api.Handler;

/// <summary>
/// V2Ray's <c>HandlerService</c>. AlterInbound adds users to and removes them from the cluster registry, which every
/// node's VMess inbounds serve; the handler methods answer UNIMPLEMENTED, since a node's inbounds and outbounds come
/// from its config. As in V2Ray (app/proxyman/command), the operation's type is checked first, then the tag, then the user.
/// </summary>
internal sealed class HandlerApiService(RegistryCommands registry, UserInbounds inbounds, ILogger<HandlerApiService> logger)
    : HandlerService.HandlerServiceBase
{
    private const string FromConfig = "a node's inbounds and outbounds come from its config file; users are added with AlterInbound";

    public override async Task<AlterInboundResponse> AlterInbound(AlterInboundRequest request, ServerCallContext context)
    {
        var operation = UserOperations.Parse(request.Operation);
        inbounds.Require(request.Tag);
        switch (operation)
        {
            case AddUserOperation add:
                var upsert = UserOperations.ToCommand(add);
                await SendAsync(request.Tag, "add", upsert, upsert.UserKey, context.CancellationToken);
                break;
            case RemoveUserOperation remove:
                var removal = UserOperations.ToCommand(remove);
                var outcome = await SendAsync(request.Tag, "remove", removal, removal.UserKey, context.CancellationToken);
                // V2Ray's words for removing an unknown email.
                if (outcome == UserCommandOutcome.NotFound) throw ApiStatus.NotFound($"User {remove.Email} not found.");
                break;
        }
        return new AlterInboundResponse();
    }

    public override Task<AddInboundResponse> AddInbound(AddInboundRequest request, ServerCallContext context) =>
        throw ApiStatus.Unimplemented($"HandlerService.AddInbound is not supported: {FromConfig}");

    public override Task<RemoveInboundResponse> RemoveInbound(RemoveInboundRequest request, ServerCallContext context) =>
        throw ApiStatus.Unimplemented($"HandlerService.RemoveInbound is not supported: {FromConfig}");

    public override Task<AddOutboundResponse> AddOutbound(AddOutboundRequest request, ServerCallContext context) =>
        throw ApiStatus.Unimplemented($"HandlerService.AddOutbound is not supported: {FromConfig}");

    public override Task<RemoveOutboundResponse> RemoveOutbound(RemoveOutboundRequest request, ServerCallContext context) =>
        throw ApiStatus.Unimplemented($"HandlerService.RemoveOutbound is not supported: {FromConfig}");

    public override Task<AlterOutboundResponse> AlterOutbound(AlterOutboundRequest request, ServerCallContext context) =>
        throw ApiStatus.Unimplemented($"HandlerService.AlterOutbound is not supported: {FromConfig}");

    private async Task<UserCommandOutcome> SendAsync(string tag, string operation, IUserRegistryCommand command, string userKey, CancellationToken cancellation)
    {
        var outcome = await registry.SendAsync(operation, command, userKey, cancellation);
        ApiLog.UserChanged(logger, tag, operation, userKey, outcome);
        return outcome;
    }
}
