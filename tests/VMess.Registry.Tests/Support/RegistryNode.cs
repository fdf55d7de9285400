using Akka.Actor;
using Akka.Cluster;
using Akka.Configuration;
using VMess.Registry.ReadModel;

namespace VMess.Registry.Tests.Support;

/// <summary>
/// One node as the host runs it: a self-joined cluster with the projector (feeding a <see cref="UserDirectoryHolder"/>)
/// and the user registry, on the given persistence. Disposing terminates the system (coordinated shutdown).
/// </summary>
internal sealed class RegistryNode : IAsyncDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private RegistryNode(ActorSystem system, IActorRef registry, UserDirectoryHolder directory)
    {
        System = system;
        Registry = registry;
        Directory = directory;
    }

    public ActorSystem System { get; }

    public IActorRef Registry { get; }

    public UserDirectoryHolder Directory { get; }

    public static async Task<RegistryNode> StartAsync(Config persistence)
    {
        var system = RegistryCluster.CreateNode(persistence);
        try
        {
            var directory = new UserDirectoryHolder();
            system.StartRegistryProjector(RegistrySettings.Default, directory);
            var cluster = Cluster.Get(system);
            await cluster.JoinAsync(cluster.SelfAddress).WaitAsync(Bound);
            return new RegistryNode(system, system.StartUserRegistry(RegistrySettings.Default), directory);
        }
        catch
        {
            await system.Terminate().WaitAsync(Bound);
            throw;
        }
    }

    public async ValueTask DisposeAsync() => await System.Terminate().WaitAsync(Bound);
}
